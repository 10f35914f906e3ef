// Ananke grammar warm-up text: original code, not part of the build.

package warmup

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestCacheEviction(t *testing.T) {
	var evicted []string
	c := NewCache[string, int](2, 0).OnEvict(func(k string, _ int) {
		evicted = append(evicted, k)
	})
	c.Put("a", 1)
	c.Put("b", 2)
	if _, ok := c.Get("a"); !ok {
		t.Fatal("a should be present")
	}
	c.Put("c", 3)
	if _, ok := c.Get("b"); ok {
		t.Error("b should have been evicted as least recently used")
	}
	if want := []string{"b"}; len(evicted) != 1 || evicted[0] != want[0] {
		t.Errorf("evicted = %v, want %v", evicted, want)
	}
	if keys := c.Keys(); strings.Join(keys, ",") != "c,a" {
		t.Errorf("keys = %v", keys)
	}
}

func TestCacheExpiry(t *testing.T) {
	now := time.Date(2024, time.March, 1, 12, 0, 0, 0, time.UTC)
	c := NewCache[int, string](8, time.Minute)
	c.now = func() time.Time { return now }
	c.Put(7, "seven")
	now = now.Add(59 * time.Second)
	if v, ok := c.Get(7); !ok || v != "seven" {
		t.Fatalf("Get(7) = %q, %v before expiry", v, ok)
	}
	now = now.Add(2 * time.Second)
	if _, ok := c.Get(7); ok {
		t.Fatal("entry should have expired")
	}
	if rate := c.HitRate(); rate != 0.5 {
		t.Errorf("hit rate = %.3f, want 0.5", rate)
	}
}

func TestGetOrLoad(t *testing.T) {
	calls := 0
	boom := errors.New("boom")
	c := NewCache[int, int](4, 0)
	load := func(k int) (int, error) {
		calls++
		if k < 0 {
			return 0, boom
		}
		return k * k, nil
	}
	for i := 0; i < 3; i++ {
		if v, err := c.GetOrLoad(9, load); err != nil || v != 81 {
			t.Fatalf("GetOrLoad(9) = %d, %v", v, err)
		}
	}
	if calls != 1 {
		t.Errorf("loader called %d times, want 1", calls)
	}
	if _, err := c.GetOrLoad(-1, load); !errors.Is(err, boom) {
		t.Errorf("err = %v, want boom", err)
	}
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		name    string
		input   string
		kinds   []TokenKind
		wantErr bool
	}{
		{"empty", "", []TokenKind{TokEOF}, false},
		{"ident", "alpha_2", []TokenKind{TokIdent, TokEOF}, false},
		{"hex", "0xFF + 0b101", []TokenKind{TokNumber, TokOperator, TokNumber, TokEOF}, false},
		{"call", "max(a, 3.5)", []TokenKind{
			TokIdent, TokLParen, TokIdent, TokComma, TokNumber, TokRParen, TokEOF,
		}, false},
		{"comment", "x # trailing\n<= y", []TokenKind{TokIdent, TokOperator, TokIdent, TokEOF}, false},
		{"raw", "`a\\b`", []TokenKind{TokString, TokEOF}, false},
		{"char", `'\n'`, []TokenKind{TokChar, TokEOF}, false},
		{name: "unterminated", input: `"open`, wantErr: true},
		{name: "illegal", input: "a @ b", wantErr: true},
	}
	for _, tc := range tests {
		tc := tc
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			toks, err := Tokenize(tc.input)
			if (err != nil) != tc.wantErr {
				t.Fatalf("Tokenize(%q) error = %v, wantErr %v", tc.input, err, tc.wantErr)
			}
			if tc.wantErr {
				return
			}
			if len(toks) != len(tc.kinds) {
				t.Fatalf("got %d tokens, want %d: %+v", len(toks), len(tc.kinds), toks)
			}
			for i, k := range tc.kinds {
				if toks[i].Kind != k {
					t.Errorf("token %d: kind %v, want %v", i, toks[i].Kind, k)
				}
			}
		})
	}
}

func TestValidateCollectsErrors(t *testing.T) {
	cfg := Defaults()
	cfg.Listen = "localhost"
	cfg.Workers = 0
	cfg.Database.Driver = "oracle"
	err := cfg.Validate()
	var fe *FieldError
	if !errors.As(err, &fe) {
		t.Fatalf("expected a *FieldError in %v", err)
	}
	var all ValidationErrors
	if !errors.As(err, &all) || len(all) != 3 {
		t.Fatalf("expected 3 field errors, got %v", err)
	}
}

func TestLoadFromEnv(t *testing.T) {
	env := map[string]string{"WORKERS": "0x10", "DEBUG": "true", "DB_DSN": "postgres://u:p@db/app"}
	cfg, err := Load("", func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Workers != 16 || !cfg.Debug {
		t.Errorf("env not applied: workers=%d debug=%t", cfg.Workers, cfg.Debug)
	}
	var sb strings.Builder
	if err := cfg.Dump(&sb); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sb.String(), "u:p") {
		t.Error("password leaked into dump")
	}
}

func TestNotesAPI(t *testing.T) {
	srv := httptest.NewServer(Chain(&API{store: NewNoteStore(), maxBody: 256}, Recover, RequestID))
	defer srv.Close()

	resp, err := http.Post(srv.URL+"/notes", "application/json", strings.NewReader(`{"title":"hi"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("status = %d", resp.StatusCode)
	}
	if loc := resp.Header.Get("Location"); loc != "/notes/1" {
		t.Errorf("Location = %q", loc)
	}
	if resp.Header.Get("X-Request-Id") == "" {
		t.Error("missing request id")
	}

	for _, tt := range []struct {
		method, path string
		status       int
	}{
		{http.MethodGet, "/notes/1", 200},
		{http.MethodGet, "/notes/2", 404},
		{http.MethodGet, "/notes/abc", 400},
		{http.MethodPut, "/notes/1", 405},
		{http.MethodDelete, "/notes/1", 204},
	} {
		req, _ := http.NewRequest(tt.method, srv.URL+tt.path, nil)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", tt.method, tt.path, err)
		}
		res.Body.Close()
		if res.StatusCode != tt.status {
			t.Errorf("%s %s = %d, want %d", tt.method, tt.path, res.StatusCode, tt.status)
		}
	}
}

func TestPoolCancellation(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	slow := ProcessorFunc(func(ctx context.Context, j Job) (uint32, error) {
		select {
		case <-time.After(time.Second):
			return 0, nil
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	})
	results := NewPool(slow, WithWorkers(2)).Run(ctx, Generate(ctx, 10, 8))
	time.AfterFunc(20*time.Millisecond, cancel)
	_, err := Collect(results)
	if err != nil && !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}
