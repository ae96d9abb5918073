package bot

import (
	"context"
	"net/http/httptrace"
	"sync/atomic"
)

// Attempt watches the HTTP request of one delivery attempt, to tell a
// send that failed from one whose outcome is unknown: the request was
// written out and no response came (a timeout, a connection cut). The
// platform may have taken such a message, so a Sender reports it with
// Result.Uncertain and the outbox waits longer before trying again.
type Attempt struct {
	wrote, answered atomic.Bool
}

// Context returns ctx traced for a: use it for the attempt's request.
func (a *Attempt) Context(ctx context.Context) context.Context {
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteRequest: func(i httptrace.WroteRequestInfo) {
			if i.Err == nil {
				a.wrote.Store(true)
			}
		},
		GotFirstResponseByte: func() { a.answered.Store(true) },
	})
}

// Uncertain reports whether the request went out and no response came.
func (a *Attempt) Uncertain() bool { return a.wrote.Load() && !a.answered.Load() }
