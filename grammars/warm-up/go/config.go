// Ananke grammar warm-up text: original code, not part of the build.

package warmup

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Duration wraps time.Duration so it can be written as "1m30s" in JSON.
type Duration struct{ time.Duration }

func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(d.String())
}

func (d *Duration) UnmarshalJSON(b []byte) error {
	var raw any
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	switch v := raw.(type) {
	case float64:
		d.Duration = time.Duration(v) * time.Second
	case string:
		parsed, err := time.ParseDuration(v)
		if err != nil {
			return fmt.Errorf("duration %q: %w", v, err)
		}
		d.Duration = parsed
	default:
		return fmt.Errorf("duration: unexpected %T", raw)
	}
	return nil
}

// DatabaseConfig describes one database connection.
type DatabaseConfig struct {
	Driver      string   `json:"driver" env:"DB_DRIVER"`
	DSN         string   `json:"dsn" env:"DB_DSN"`
	MaxOpen     int      `json:"max_open,omitempty" env:"DB_MAX_OPEN"`
	ConnMaxLife Duration `json:"conn_max_life"`
}

// Config is the full application configuration.
type Config struct {
	Listen    string            `json:"listen" env:"LISTEN_ADDR"`
	Debug     bool              `json:"debug" env:"DEBUG"`
	Workers   int               `json:"workers" env:"WORKERS"`
	RateLimit float64           `json:"rate_limit"`
	Timeout   Duration          `json:"timeout"`
	Database  DatabaseConfig    `json:"database"`
	Features  map[string]bool   `json:"features,omitempty"`
	Labels    map[string]string `json:"-"`
	Origins   []string          `json:"allowed_origins"`
}

// Defaults returns a configuration usable for local development.
func Defaults() Config {
	return Config{
		Listen:    "127.0.0.1:8080",
		Workers:   4,
		RateLimit: 12.5,
		Timeout:   Duration{30 * time.Second},
		Database: DatabaseConfig{
			Driver:      "sqlite",
			DSN:         "file:dev.db?cache=shared",
			MaxOpen:     8,
			ConnMaxLife: Duration{5 * time.Minute},
		},
		Features: map[string]bool{"search": true, "export": false},
	}
}

// FieldError reports an invalid field after loading.
type FieldError struct {
	Field  string
	Reason string
}

func (e *FieldError) Error() string { return "config: " + e.Field + ": " + e.Reason }

// ValidationErrors collects every problem instead of stopping at the first.
type ValidationErrors []*FieldError

func (v ValidationErrors) Error() string {
	parts := make([]string, 0, len(v))
	for _, fe := range v {
		parts = append(parts, fe.Error())
	}
	return strings.Join(parts, "; ")
}

// Unwrap lets errors.As find individual field errors.
func (v ValidationErrors) Unwrap() []error {
	errs := make([]error, len(v))
	for i := range v {
		errs[i] = v[i]
	}
	return errs
}

// Validate checks ranges and required values.
func (c *Config) Validate() error {
	var errs ValidationErrors
	add := func(field, format string, args ...any) {
		errs = append(errs, &FieldError{Field: field, Reason: fmt.Sprintf(format, args...)})
	}
	if c.Listen == "" {
		add("listen", "must not be empty")
	} else if _, port, ok := strings.Cut(c.Listen, ":"); !ok || port == "" {
		add("listen", "missing port in %q", c.Listen)
	}
	if c.Workers < 1 || c.Workers > 256 {
		add("workers", "out of range [1, 256]: %d", c.Workers)
	}
	if c.RateLimit < 0 {
		add("rate_limit", "negative: %.2f", c.RateLimit)
	}
	switch c.Database.Driver {
	case "sqlite", "postgres", "mysql":
	case "":
		add("database.driver", "required")
	default:
		add("database.driver", "unsupported driver %q", c.Database.Driver)
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// Load reads a JSON file over the defaults, then applies the environment.
func Load(path string, lookup func(string) (string, bool)) (*Config, error) {
	cfg := Defaults()
	if path != "" {
		data, err := os.ReadFile(filepath.Clean(path))
		switch {
		case errors.Is(err, os.ErrNotExist):
			// A missing file is fine: defaults and environment still apply.
		case err != nil:
			return nil, fmt.Errorf("read config: %w", err)
		default:
			if err := decodeStrict(bytes.NewReader(data), &cfg); err != nil {
				return nil, fmt.Errorf("parse %s: %w", filepath.Base(path), err)
			}
		}
	}
	if lookup == nil {
		lookup = os.LookupEnv
	}
	if err := applyEnv(reflect.ValueOf(&cfg).Elem(), lookup); err != nil {
		return nil, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &cfg, nil
}

func decodeStrict(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data after JSON object")
	}
	return nil
}

// applyEnv walks struct fields and fills those with an `env` tag.
func applyEnv(v reflect.Value, lookup func(string) (string, bool)) error {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		field := t.Field(i)
		fv := v.Field(i)
		if field.Type.Kind() == reflect.Struct && field.Type != reflect.TypeOf(Duration{}) {
			if err := applyEnv(fv, lookup); err != nil {
				return err
			}
			continue
		}
		name, ok := field.Tag.Lookup("env")
		if !ok {
			continue
		}
		raw, found := lookup(name)
		if !found {
			continue
		}
		if err := setFromString(fv, raw); err != nil {
			return fmt.Errorf("env %s: %w", name, err)
		}
	}
	return nil
}

func setFromString(fv reflect.Value, raw string) error {
	switch fv.Kind() {
	case reflect.String:
		fv.SetString(raw)
	case reflect.Bool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return err
		}
		fv.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(raw, 0, fv.Type().Bits())
		if err != nil {
			return err
		}
		fv.SetInt(n)
	case reflect.Float32, reflect.Float64:
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			return err
		}
		fv.SetFloat(f)
	default:
		return fmt.Errorf("unsupported kind %s", fv.Kind())
	}
	return nil
}

// Dump writes the effective configuration, hiding the DSN password.
func (c Config) Dump(w io.Writer) error {
	masked := c
	if at := strings.LastIndexByte(masked.Database.DSN, '@'); at > 0 {
		masked.Database.DSN = "***" + masked.Database.DSN[at:]
	}
	out, err := json.MarshalIndent(masked, "", "\t")
	if err != nil {
		return err
	}
	out = append(out, '\n')
	_, err = w.Write(out)
	return err
}
