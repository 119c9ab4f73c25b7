// Package demo fills an empty database with a believable park, so that a newcomer sees real-looking
// enterprises, people and records at once.
package demo

import (
	"context"
	"fmt"
	"io"

	"parksafe/app"
)

// Seed creates the demo park when the database has no enterprises, and prints how to sign in.
func Seed(ctx context.Context, a *app.App, out io.Writer) error {
	fmt.Fprintln(out, "demo: not yet")
	return nil
}
