// Ananke grammar warm-up text: original code, not part of the build.

package warmup

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Job is a unit of work with an identifier and a payload.
type Job struct {
	ID      int
	Payload []byte
	Retries uint8
}

// Result is what a worker reports for one job.
type Result struct {
	JobID    int
	Checksum uint32
	Worker   int
	Err      error
	Elapsed  time.Duration
}

// Processor handles one job.
type Processor interface {
	Process(ctx context.Context, j Job) (uint32, error)
}

// ProcessorFunc adapts an ordinary function to Processor.
type ProcessorFunc func(context.Context, Job) (uint32, error)

func (f ProcessorFunc) Process(ctx context.Context, j Job) (uint32, error) { return f(ctx, j) }

// ErrTransient marks failures worth retrying.
var ErrTransient = errors.New("transient failure")

// Pool runs a fixed number of workers over a shared job queue.
type Pool struct {
	workers    int
	proc       Processor
	maxRetries uint8
	processed  atomic.Int64
	failed     atomic.Int64
}

// PoolOption configures a Pool.
type PoolOption func(*Pool)

func WithWorkers(n int) PoolOption {
	return func(p *Pool) {
		if n > 0 {
			p.workers = n
		}
	}
}

func WithRetries(n uint8) PoolOption { return func(p *Pool) { p.maxRetries = n } }

// NewPool builds a pool with one worker per CPU unless told otherwise.
func NewPool(proc Processor, opts ...PoolOption) *Pool {
	p := &Pool{workers: runtime.NumCPU(), proc: proc, maxRetries: 3}
	for _, opt := range opts {
		opt(p)
	}
	return p
}

// Run consumes jobs until the channel closes or ctx is cancelled.
// The returned channel is closed after every worker has exited.
func (p *Pool) Run(ctx context.Context, jobs <-chan Job) <-chan Result {
	out := make(chan Result, p.workers*2)
	var wg sync.WaitGroup
	wg.Add(p.workers)
	for w := 0; w < p.workers; w++ {
		go func(worker int) {
			defer wg.Done()
			p.loop(ctx, worker, jobs, out)
		}(w)
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

func (p *Pool) loop(ctx context.Context, worker int, jobs <-chan Job, out chan<- Result) {
	for {
		select {
		case <-ctx.Done():
			return
		case j, ok := <-jobs:
			if !ok {
				return
			}
			res := p.runOne(ctx, worker, j)
			select {
			case out <- res:
			case <-ctx.Done():
				return
			}
		}
	}
}

func (p *Pool) runOne(ctx context.Context, worker int, j Job) Result {
	start := time.Now()
	var (
		sum uint32
		err error
	)
attempts:
	for attempt := uint8(0); ; attempt++ {
		sum, err = p.proc.Process(ctx, j)
		switch {
		case err == nil:
			break attempts
		case errors.Is(err, ErrTransient) && attempt < p.maxRetries:
			backoff := time.Duration(1<<attempt) * 10 * time.Millisecond
			jitter := time.Duration(rand.Int63n(int64(backoff / 2)))
			timer := time.NewTimer(backoff + jitter)
			select {
			case <-timer.C:
				continue attempts
			case <-ctx.Done():
				timer.Stop()
				err = ctx.Err()
				break attempts
			}
		default:
			break attempts
		}
	}
	if err != nil {
		p.failed.Add(1)
		err = fmt.Errorf("job %d on worker %d: %w", j.ID, worker, err)
	} else {
		p.processed.Add(1)
	}
	return Result{JobID: j.ID, Checksum: sum, Worker: worker, Err: err, Elapsed: time.Since(start)}
}

// Stats reports how many jobs succeeded and failed so far.
func (p *Pool) Stats() (ok, bad int64) {
	return p.processed.Load(), p.failed.Load()
}

// Adler computes a small rolling checksum; it stands in for real work.
func Adler(data []byte) uint32 {
	const mod = 65521
	a, b := uint32(1), uint32(0)
	for len(data) > 0 {
		chunk := data
		if len(chunk) > 5552 {
			chunk = chunk[:5552]
		}
		data = data[len(chunk):]
		for _, c := range chunk {
			a += uint32(c)
			b += a
		}
		a %= mod
		b %= mod
	}
	return b<<16 | a
}

// Generate feeds n jobs into a channel and closes it when done.
func Generate(ctx context.Context, n int, size int) <-chan Job {
	ch := make(chan Job)
	go func() {
		defer close(ch)
		buf := make([]byte, size)
		for i := 1; i <= n; i++ {
			for k := range buf {
				buf[k] = byte(i*31 + k&0xff)
			}
			payload := append([]byte(nil), buf...)
			select {
			case ch <- Job{ID: i, Payload: payload}:
			case <-ctx.Done():
				return
			}
		}
	}()
	return ch
}

// Collect drains results, keeping the first error it sees.
func Collect(results <-chan Result) (map[int]uint32, error) {
	sums := make(map[int]uint32)
	var first error
	for r := range results {
		if r.Err != nil {
			if first == nil {
				first = r.Err
			}
			continue
		}
		sums[r.JobID] = r.Checksum
	}
	return sums, first
}

// RunDemo ties the pieces together with a deadline.
func RunDemo(print func(string)) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()

	var flaky atomic.Uint32
	proc := ProcessorFunc(func(ctx context.Context, j Job) (uint32, error) {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		if j.ID%7 == 0 && flaky.Add(1)%2 == 1 {
			return 0, fmt.Errorf("job %d: %w", j.ID, ErrTransient)
		}
		return Adler(j.Payload), nil
	})

	pool := NewPool(proc, WithWorkers(4), WithRetries(2))
	sums, err := Collect(pool.Run(ctx, Generate(ctx, 64, 4096)))
	if err != nil {
		return err
	}
	print(fmt.Sprintf("checksummed %d jobs", len(sums)))
	return nil
}
