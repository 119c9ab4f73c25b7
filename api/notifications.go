package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"parksafe/model"
	"parksafe/service/notify"
)

// NotificationResponse is one entry of the in-app feed.
type NotificationResponse struct {
	ID        uint64 `json:"id" example:"31"`
	Kind      string `json:"kind" example:"hazard_assigned"`
	KindLabel string `json:"kind_label" example:"隐患待整改"`
	Title     string `json:"title"`
	Body      string `json:"body"`
	// Link names the record to open: "hazard:12", "interview:3".
	Link string `json:"link" example:"hazard:12"`
	// PushStatus is what became of the mini-program subscribe message.
	PushStatus      string     `json:"push_status" example:"sent"`
	PushStatusLabel string     `json:"push_status_label" example:"已发送"`
	Read            bool       `json:"read"`
	ReadAt          *time.Time `json:"read_at"`
	CreatedAt       time.Time  `json:"created_at"`
}

// NotificationListResponse is a page of the feed with the unread count.
type NotificationListResponse struct {
	ListResponse[NotificationResponse]
	UnreadCount int64 `json:"unread_count" example:"3"`
}

// ReadNotificationsRequest marks entries read: the listed ids, or all.
type ReadNotificationsRequest struct {
	IDs []uint64 `json:"ids"`
	All bool     `json:"all"`
}

// ReadNotificationsResponse says how many entries changed.
type ReadNotificationsResponse struct {
	Updated int64 `json:"updated" example:"2"`
}

// SubscribeRequest reports the subscribe-message templates the user just accepted (wx.requestSubscribeMessage).
type SubscribeRequest struct {
	TemplateIDs []string `json:"template_ids"`
}

// SubscriptionResponse is a configured template and how many messages of it the user has granted.
type SubscriptionResponse struct {
	Event      string `json:"event" example:"hazard_assigned"`
	EventLabel string `json:"event_label" example:"隐患待整改"`
	TemplateID string `json:"template_id"`
	Remaining  int    `json:"remaining" example:"1"`
}

func (s *Server) notification(n *model.Notification) NotificationResponse {
	return NotificationResponse{ID: n.ID, Kind: n.Kind, KindLabel: notify.KindLabels[n.Kind], Title: n.Title, Body: n.Body,
		Link: n.Link, PushStatus: n.PushStatus, PushStatusLabel: notify.PushStatusLabels[n.PushStatus], Read: n.ReadAt != nil,
		ReadAt: s.localPtr(n.ReadAt), CreatedAt: s.local(n.CreatedAt)}
}

func subscriptions(l []notify.Subscription) []SubscriptionResponse {
	out := make([]SubscriptionResponse, 0, len(l))
	for _, x := range l {
		out = append(out, SubscriptionResponse{Event: x.Event, EventLabel: notify.KindLabels[x.Event], TemplateID: x.TemplateID, Remaining: x.Remaining})
	}
	return out
}

// listNotifications godoc
//
//	@Summary	Own notification feed, newest first
//	@Tags		notifications
//	@Produce	json
//	@Security	Bearer
//	@Param		unread		query		bool	false	"only unread entries"
//	@Param		page		query		int		false	"page, from 1"
//	@Param		page_size	query		int		false	"1 to 100"
//	@Param		after	query		string		false	"the previous page's next: continues after its last row"
//	@Success	200			{object}	NotificationListResponse
//	@Router		/notifications [get]
func (s *Server) listNotifications(c *gin.Context) {
	q := newQuery(c)
	unread := q.boolPtr("unread")
	p := q.page()
	if !q.ok() {
		return
	}
	l, err := s.Notifier.List(c.Request.Context(), actor(c), unread != nil && *unread, p)
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, NotificationListResponse{ListResponse: listOf(l.List, s.notification), UnreadCount: l.Unread})
}

// readNotifications godoc
//
//	@Summary	Mark own notifications read
//	@Tags		notifications
//	@Accept		json
//	@Produce	json
//	@Security	Bearer
//	@Param		body	body		ReadNotificationsRequest	true	"ids, or all: true"
//	@Success	200		{object}	ReadNotificationsResponse
//	@Failure	422		{object}	ErrorBody
//	@Router		/notifications/read [post]
func (s *Server) readNotifications(c *gin.Context) {
	var req ReadNotificationsRequest
	if !bindJSON(c, &req) {
		return
	}
	n, err := s.Notifier.MarkRead(c.Request.Context(), actor(c), req.IDs, req.All)
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, ReadNotificationsResponse{Updated: n})
}

// subscriptions godoc
//
//	@Summary		Subscribe-message templates and own remaining grants
//	@Description	The template ids to pass to wx.requestSubscribeMessage, per event.
//	@Tags			notifications
//	@Produce		json
//	@Security		Bearer
//	@Success		200	{array}	SubscriptionResponse
//	@Router			/me/subscriptions [get]
func (s *Server) subscriptions(c *gin.Context) {
	l, err := s.Notifier.Subscriptions(c.Request.Context(), actor(c))
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, subscriptions(l))
}

// subscribe godoc
//
//	@Summary		Report accepted one-time subscribe grants
//	@Description	Each listed (configured) template gets one more message for the user.
//	@Tags			notifications
//	@Accept			json
//	@Produce		json
//	@Security		Bearer
//	@Param			Idempotency-Key	header	string	false	"retry key"
//	@Param			body	body	SubscribeRequest	true	"accepted template ids"
//	@Success		200		{array}	SubscriptionResponse
//	@Failure		422		{object}	ErrorBody
//	@Router			/me/subscriptions [post]
func (s *Server) subscribe(c *gin.Context) {
	var req SubscribeRequest
	if !bindJSON(c, &req) {
		return
	}
	l, err := s.Notifier.Subscribe(c.Request.Context(), actor(c), req.TemplateIDs)
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, subscriptions(l))
}
