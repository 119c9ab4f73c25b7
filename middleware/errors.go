package middleware

import (
	"errors"
	"net/http"

	"parksafe/service"
)

// tooLargeOr maps a body reader's size-limit failure to 413 and anything else to 400.
func tooLargeOr(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return &service.Error{Code: service.CodePayloadTooLarge, Message: "提交的内容过大"}
	}
	return service.BadRequest("请求内容读取失败")
}
