# syntax=docker/dockerfile:1

# ---- build stage -----------------------------------------------------------
FROM golang:1.26-bookworm AS build
WORKDIR /src

# Download modules first so this layer is cached until go.mod/go.sum change.
COPY go.mod go.sum ./
RUN go mod download

COPY . .
# Static binaries (no cgo: the SQLite driver is pure Go). -tags timetzdata embeds
# the tz database so TIMEZONE=Asia/Shanghai works without /usr/share/zoneinfo.
# photomove moves a park's photos from DATA_DIR to an S3 bucket (README.md).
RUN --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -tags timetzdata -ldflags='-s -w' \
        -o /out/ . ./cmd/photomove \
 && mkdir -p /out/data

# ---- runtime stage ---------------------------------------------------------
# distroless "nonroot" runs as uid/gid 65532. It has no shell and no curl, so
# there is no HEALTHCHECK here; let the orchestrator probe the HTTP port.
FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /app

COPY --from=build /out/parksafe /out/photomove /app/
# Pre-create the data dir owned by nonroot so a fresh named volume mounted at
# /app/data inherits that ownership and the app can write to it.
COPY --from=build --chown=65532:65532 /out/data /app/data

ENV DATA_DIR=/app/data
VOLUME ["/app/data"]
EXPOSE 8080
USER 65532:65532
ENTRYPOINT ["/app/parksafe"]
