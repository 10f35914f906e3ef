// Ananke grammar warm-up text: original code, not part of the build.

package warmup

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ctxKey is an unexported type for request-scoped values.
type ctxKey int

const (
	requestIDKey ctxKey = iota
	userKey
)

// Middleware wraps a handler with extra behaviour.
type Middleware func(http.Handler) http.Handler

// Chain applies middlewares so the first one listed runs outermost.
func Chain(h http.Handler, mws ...Middleware) http.Handler {
	for i := len(mws) - 1; i >= 0; i-- {
		h = mws[i](h)
	}
	return h
}

// statusRecorder remembers the status code written by a handler.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(p)
	r.bytes += n
	return n, err
}

// Logging records method, path, status and latency for every request.
func Logging(logger *log.Logger) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			start := time.Now()
			rec := &statusRecorder{ResponseWriter: w}
			next.ServeHTTP(rec, req)
			logger.Printf("%s %s -> %d (%d bytes) in %v",
				req.Method, req.URL.Path, rec.status, rec.bytes, time.Since(start).Round(time.Microsecond))
		})
	}
}

// Recover turns a panic inside a handler into a 500 response.
func Recover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				http.Error(w, fmt.Sprintf("internal error: %v", v), http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, req)
	})
}

var idCounter struct {
	sync.Mutex
	n uint64
}

// RequestID attaches a monotonically increasing identifier to the context.
func RequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		id := req.Header.Get("X-Request-Id")
		if id == "" {
			idCounter.Lock()
			idCounter.n++
			id = "req-" + strconv.FormatUint(idCounter.n, 16)
			idCounter.Unlock()
		}
		w.Header().Set("X-Request-Id", id)
		ctx := context.WithValue(req.Context(), requestIDKey, id)
		next.ServeHTTP(w, req.WithContext(ctx))
	})
}

// Note is the resource served by the notes API.
type Note struct {
	ID      int       `json:"id"`
	Title   string    `json:"title"`
	Body    string    `json:"body,omitempty"`
	Tags    []string  `json:"tags,omitempty"`
	Created time.Time `json:"created"`
}

// NoteStore keeps notes in memory, guarded by a read/write lock.
type NoteStore struct {
	mu     sync.RWMutex
	notes  map[int]*Note
	nextID int
}

// NewNoteStore returns an empty store.
func NewNoteStore() *NoteStore {
	return &NoteStore{notes: make(map[int]*Note), nextID: 1}
}

var errNotFound = errors.New("note not found")

func (s *NoteStore) Get(id int) (Note, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	n, ok := s.notes[id]
	if !ok {
		return Note{}, fmt.Errorf("get %d: %w", id, errNotFound)
	}
	return *n, nil
}

func (s *NoteStore) Add(n Note) Note {
	s.mu.Lock()
	defer s.mu.Unlock()
	n.ID = s.nextID
	s.nextID++
	if n.Created.IsZero() {
		n.Created = time.Now().UTC()
	}
	s.notes[n.ID] = &n
	return n
}

func (s *NoteStore) Delete(id int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.notes[id]; !ok {
		return false
	}
	delete(s.notes, id)
	return true
}

// API exposes a NoteStore over HTTP.
type API struct {
	store   *NoteStore
	maxBody int64
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		log.Printf("encode response: %v", err)
	}
}

func (a *API) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	path := strings.TrimPrefix(req.URL.Path, "/notes")
	path = strings.Trim(path, "/")
	switch {
	case path == "" && req.Method == http.MethodPost:
		a.create(w, req)
	case path != "":
		id, err := strconv.Atoi(path)
		if err != nil || id <= 0 {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "bad id " + strconv.Quote(path)})
			return
		}
		switch req.Method {
		case http.MethodGet, http.MethodHead:
			a.show(w, id)
		case http.MethodDelete:
			if !a.store.Delete(id) {
				w.WriteHeader(http.StatusNotFound)
				return
			}
			w.WriteHeader(http.StatusNoContent)
		default:
			w.Header().Set("Allow", "GET, HEAD, DELETE")
			w.WriteHeader(http.StatusMethodNotAllowed)
		}
	default:
		http.NotFound(w, req)
	}
}

func (a *API) show(w http.ResponseWriter, id int) {
	n, err := a.store.Get(id)
	if errors.Is(err, errNotFound) {
		writeJSON(w, http.StatusNotFound, map[string]any{"error": err.Error(), "id": id})
		return
	}
	writeJSON(w, http.StatusOK, n)
}

func (a *API) create(w http.ResponseWriter, req *http.Request) {
	body := http.MaxBytesReader(w, req.Body, a.maxBody)
	defer body.Close()
	var in struct {
		Title string   `json:"title"`
		Body  string   `json:"body"`
		Tags  []string `json:"tags"`
	}
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		var syntaxErr *json.SyntaxError
		var maxErr *http.MaxBytesError
		switch {
		case errors.As(err, &syntaxErr):
			msg := fmt.Sprintf("malformed JSON at offset %d", syntaxErr.Offset)
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": msg})
		case errors.As(err, &maxErr):
			writeJSON(w, http.StatusRequestEntityTooLarge, map[string]int64{"limit": maxErr.Limit})
		default:
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		}
		return
	}
	if strings.TrimSpace(in.Title) == "" {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"error": "title is required"})
		return
	}
	n := a.store.Add(Note{Title: in.Title, Body: in.Body, Tags: in.Tags})
	w.Header().Set("Location", fmt.Sprintf("/notes/%d", n.ID))
	writeJSON(w, http.StatusCreated, n)
}

// NewServer wires the API, middleware and timeouts together.
func NewServer(addr string, logger *log.Logger) *http.Server {
	mux := http.NewServeMux()
	api := &API{store: NewNoteStore(), maxBody: 1 << 20}
	mux.Handle("/notes", api)
	mux.Handle("/notes/", api)
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("ok\n"))
	})
	return &http.Server{
		Addr:              addr,
		Handler:           Chain(mux, Recover, RequestID, Logging(logger)),
		ReadHeaderTimeout: 5 * time.Second,
		WriteTimeout:      15 * time.Second,
		IdleTimeout:       90 * time.Second,
	}
}
