package config

import (
	"io/fs"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"parksafe/storage"
)

// s3Settings are the variables that only mean something with STORAGE=s3.
var s3Settings = []string{"S3_ENDPOINT", "S3_BUCKET", "S3_REGION", "S3_ACCESS_KEY", "S3_SECRET_KEY", "S3_PATH_STYLE", "S3_SECURE", "S3_PREFIX"}

// regionName is what the S3-compatible services name their regions with (us-east-1,
// oss-cn-hangzhou, ap-guangzhou, cn-north-4).
var regionName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*$`)

// storage reads STORAGE and, with STORAGE=s3, the bucket's settings. S3 settings with the local store
// are refused: an operator who set them meant photos to be shared, and an instance that kept them on
// its own disk instead would serve them to no other instance.
func (r *reader) storage(dataDir string) storage.Config {
	c := storage.Config{Kind: r.str("STORAGE", storage.KindLocal), Dir: dataDir}
	switch c.Kind {
	case storage.KindLocal:
		for _, name := range s3Settings {
			if strings.TrimSpace(r.getenv(name)) != "" {
				r.fail("STORAGE", "%s is set but STORAGE is local: set STORAGE=s3 to keep photos in the bucket, or unset the S3_ variables", name)
				break
			}
		}
		return c
	case storage.KindS3:
	default:
		r.fail("STORAGE", "must be local or s3, got %q", c.Kind)
		return c
	}
	s := &c.S3
	s.Secure = true
	secure, secureSet := r.boolean("S3_SECURE")
	if endpoint := r.str("S3_ENDPOINT", ""); endpoint == "" {
		r.fail("S3_ENDPOINT", "is required when STORAGE=s3 (host[:port], e.g. oss-cn-hangzhou.aliyuncs.com or minio:9000)")
	} else if strings.Contains(endpoint, "://") {
		u, err := url.Parse(endpoint)
		switch {
		case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.Trim(u.Path, "/") != "" || u.RawQuery != "" || u.User != nil:
			r.fail("S3_ENDPOINT", "want host[:port] or http(s)://host[:port] without a path, got %q", endpoint)
		case secureSet && secure != (u.Scheme == "https"):
			r.fail("S3_SECURE", "is %v but S3_ENDPOINT %q says %s", secure, endpoint, u.Scheme)
		default:
			s.Endpoint, s.Secure = u.Host, u.Scheme == "https"
		}
	} else if u, err := url.Parse("//" + endpoint); err != nil || u.Host != endpoint || u.Hostname() == "" {
		r.fail("S3_ENDPOINT", "want host[:port] or http(s)://host[:port] without a path, got %q", endpoint)
	} else {
		s.Endpoint = endpoint
	}
	if secureSet {
		s.Secure = secure
	}
	if s.Bucket = r.str("S3_BUCKET", ""); s.Bucket == "" {
		r.fail("S3_BUCKET", "is required when STORAGE=s3")
	} else if err := storage.CheckBucketName(s.Bucket); err != nil {
		r.fail("S3_BUCKET", "%q is not a bucket name: %v", s.Bucket, err)
	}
	if s.Region = r.str("S3_REGION", ""); s.Region != "" && !regionName.MatchString(s.Region) {
		r.fail("S3_REGION", "want a region name such as oss-cn-hangzhou or us-east-1, got %q", s.Region)
	}
	s.AccessKey, s.SecretKey = strings.TrimSpace(r.getenv("S3_ACCESS_KEY")), strings.TrimSpace(r.getenv("S3_SECRET_KEY"))
	if s.AccessKey == "" {
		r.fail("S3_ACCESS_KEY", "is required when STORAGE=s3")
	}
	if s.SecretKey == "" {
		r.fail("S3_SECRET_KEY", "is required when STORAGE=s3")
	}
	if pathStyle, set := r.boolean("S3_PATH_STYLE"); set && pathStyle {
		s.Addressing = storage.AddressPath
	} else if set {
		s.Addressing = storage.AddressVirtualHost
	}
	if p := strings.Trim(r.str("S3_PREFIX", ""), "/"); p != "" {
		if strings.Contains(p, "\\") || !fs.ValidPath(p) {
			r.fail("S3_PREFIX", "want a relative path such as parksafe/ or park-a/photos/, got %q", p)
		} else {
			s.Prefix = p + "/"
		}
	}
	return c
}

// boolean reads a true/false variable and whether it was set at all.
func (r *reader) boolean(name string) (value, set bool) {
	v := strings.TrimSpace(r.getenv(name))
	if v == "" {
		return false, false
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		r.fail(name, "must be true or false, got %q", v)
		return false, false
	}
	return b, true
}
