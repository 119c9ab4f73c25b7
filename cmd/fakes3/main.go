// Command fakes3 serves the Go tests' S3 server (storage/s3test: gofakes3 with its in-memory backend
// and one bucket) as a process on a loopback port, so that ParkSafe processes, cmd/photomove and
// cmd/photoload can be run against object storage without installing a server. Its first line of
// output is its URL; the lines after it are the environment that points ParkSafe at it.
//
//	go run ./cmd/fakes3 -addr 127.0.0.1:9100
//
// Everything is kept in memory and lost when it stops.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"syscall"

	"parksafe/storage/s3test"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address (loopback; port 0 picks a free one)")
	flag.Parse()
	if err := run(*addr); err != nil {
		fmt.Fprintln(os.Stderr, "fakes3:", err)
		os.Exit(1)
	}
}

func run(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	fake := s3test.NewFake()
	fake.SetURL("http://" + ln.Addr().String())
	fake.KeepNoRequests()
	fmt.Println(fake.URL)
	env := fake.Env()
	names := make([]string, 0, len(env))
	for k := range env {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		fmt.Printf("%s=%s\n", k, env[k])
	}
	srv := &http.Server{Handler: fake.Handler()}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
