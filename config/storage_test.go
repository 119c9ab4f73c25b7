package config_test

import (
	"strings"
	"testing"

	"parksafe/storage"
)

// s3Env is a complete S3 configuration; tests change one variable of it at a time.
func s3Env(changes ...string) map[string]string {
	env := map[string]string{
		"STORAGE": "s3", "S3_ENDPOINT": "oss-cn-hangzhou.aliyuncs.com", "S3_BUCKET": "park-photos",
		"S3_REGION": "oss-cn-hangzhou", "S3_ACCESS_KEY": "LTAI5t-key", "S3_SECRET_KEY": "secret",
	}
	for i := 0; i+1 < len(changes); i += 2 {
		if changes[i+1] == "" {
			delete(env, changes[i])
		} else {
			env[changes[i]] = changes[i+1]
		}
	}
	return env
}

func TestStorageDefaultsToTheLocalDisk(t *testing.T) {
	c, err := load(map[string]string{"DATA_DIR": "/srv/parksafe"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Storage.Kind != storage.KindLocal || c.Storage.Dir != "/srv/parksafe" {
		t.Fatalf("%+v", c.Storage)
	}
}

func TestStorageS3Values(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		want storage.S3Config
	}{
		{"defaults: https, the client chooses the addressing, no prefix", s3Env(), storage.S3Config{
			Endpoint: "oss-cn-hangzhou.aliyuncs.com", Secure: true, Bucket: "park-photos", Region: "oss-cn-hangzhou",
			AccessKey: "LTAI5t-key", SecretKey: "secret", Addressing: storage.AddressAuto,
		}},
		{"MinIO over http, path-style, a prefix", s3Env("S3_ENDPOINT", "minio:9000", "S3_SECURE", "false", "S3_PATH_STYLE", "true", "S3_REGION", "", "S3_PREFIX", "/park-a/photos/"), storage.S3Config{
			Endpoint: "minio:9000", Secure: false, Bucket: "park-photos", AccessKey: "LTAI5t-key", SecretKey: "secret",
			Addressing: storage.AddressPath, Prefix: "park-a/photos/",
		}},
		{"an endpoint given as a URL sets https", s3Env("S3_ENDPOINT", "http://10.0.0.5:9000/", "S3_PATH_STYLE", "false"), storage.S3Config{
			Endpoint: "10.0.0.5:9000", Secure: false, Bucket: "park-photos", Region: "oss-cn-hangzhou",
			AccessKey: "LTAI5t-key", SecretKey: "secret", Addressing: storage.AddressVirtualHost,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := load(tc.env)
			if err != nil {
				t.Fatal(err)
			}
			if c.Storage.Kind != storage.KindS3 || c.Storage.S3 != tc.want {
				t.Fatalf("got %+v\nwant %+v", c.Storage.S3, tc.want)
			}
		})
	}
}

func TestStorageBadValuesNameTheVariable(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
	}{
		{"STORAGE", map[string]string{"STORAGE": "oss"}},
		{"STORAGE", map[string]string{"S3_BUCKET": "park-photos"}}, // S3 settings while photos stay local
		{"S3_ENDPOINT", s3Env("S3_ENDPOINT", "")},
		{"S3_ENDPOINT", s3Env("S3_ENDPOINT", "https://oss.example.com/bucket")},
		{"S3_ENDPOINT", s3Env("S3_ENDPOINT", "ftp://oss.example.com")},
		{"S3_ENDPOINT", s3Env("S3_ENDPOINT", "oss.example.com/bucket")},
		{"S3_ENDPOINT", s3Env("S3_ENDPOINT", ":9000")},
		{"S3_SECURE", s3Env("S3_SECURE", "yes please")},
		{"S3_SECURE", s3Env("S3_ENDPOINT", "http://minio:9000", "S3_SECURE", "true")},
		{"S3_BUCKET", s3Env("S3_BUCKET", "")},
		{"S3_BUCKET", s3Env("S3_BUCKET", "Park_Photos")},
		{"S3_BUCKET", s3Env("S3_BUCKET", "pp")},
		{"S3_REGION", s3Env("S3_REGION", "cn hangzhou")},
		{"S3_ACCESS_KEY", s3Env("S3_ACCESS_KEY", "")},
		{"S3_SECRET_KEY", s3Env("S3_SECRET_KEY", "")},
		{"S3_PATH_STYLE", s3Env("S3_PATH_STYLE", "path")},
		{"S3_PREFIX", s3Env("S3_PREFIX", "park/../other")},
		{"S3_PREFIX", s3Env("S3_PREFIX", `park\a`)},
		{"S3_PREFIX", s3Env("S3_PREFIX", "park//a")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := load(tc.env)
			if err == nil {
				t.Fatalf("%v accepted", tc.env)
			}
			if !strings.HasPrefix(err.Error(), tc.name+":") {
				t.Fatalf("%v: error %q does not start with the variable's name", tc.env, err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("%v: one mistake, several errors: %q", tc.env, err)
			}
		})
	}
}
