// Ananke grammar warm-up text: original code, not part of the build.

package warmup

import (
	"container/list"
	"sort"
	"sync"
	"time"
)

// Number is satisfied by the built-in numeric types.
type Number interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 |
		~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 |
		~float32 | ~float64
}

// Ordered is satisfied by types that support the < operator.
type Ordered interface {
	Number | ~string
}

// Sum adds up a slice of any numeric type.
func Sum[T Number](xs []T) T {
	var total T
	for _, x := range xs {
		total += x
	}
	return total
}

// Map applies f to every element.
func Map[S ~[]E, E, R any](s S, f func(E) R) []R {
	out := make([]R, 0, len(s))
	for _, v := range s {
		out = append(out, f(v))
	}
	return out
}

// Pair holds two values of possibly different types.
type Pair[K comparable, V any] struct {
	Key   K
	Value V
}

// SortedPairs returns the map entries ordered by key.
func SortedPairs[K Ordered, V any](m map[K]V) []Pair[K, V] {
	pairs := make([]Pair[K, V], 0, len(m))
	for k, v := range m {
		pairs = append(pairs, Pair[K, V]{k, v})
	}
	sort.Slice(pairs, func(i, j int) bool { return pairs[i].Key < pairs[j].Key })
	return pairs
}

type entry[K comparable, V any] struct {
	key     K
	value   V
	expires time.Time
}

// Cache is a size-bounded LRU cache whose entries may expire.
// The zero value is not usable; call NewCache.
type Cache[K comparable, V any] struct {
	mu       sync.Mutex
	capacity int
	ttl      time.Duration
	order    *list.List
	items    map[K]*list.Element
	now      func() time.Time
	onEvict  func(K, V)
	hits     uint64
	misses   uint64
}

// NewCache makes a cache holding at most capacity entries; ttl of 0 means no expiry.
func NewCache[K comparable, V any](capacity int, ttl time.Duration) *Cache[K, V] {
	if capacity <= 0 {
		panic("cache: capacity must be positive")
	}
	return &Cache[K, V]{
		capacity: capacity,
		ttl:      ttl,
		order:    list.New(),
		items:    make(map[K]*list.Element, capacity),
		now:      time.Now,
	}
}

// OnEvict registers a callback invoked for every removed entry.
func (c *Cache[K, V]) OnEvict(fn func(K, V)) *Cache[K, V] {
	c.mu.Lock()
	c.onEvict = fn
	c.mu.Unlock()
	return c
}

// Get returns the value for key and whether it was present and fresh.
func (c *Cache[K, V]) Get(key K) (v V, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, found := c.items[key]
	if !found {
		c.misses++
		return v, false
	}
	e := el.Value.(*entry[K, V])
	if c.ttl > 0 && c.now().After(e.expires) {
		c.removeElement(el)
		c.misses++
		return v, false
	}
	c.order.MoveToFront(el)
	c.hits++
	return e.value, true
}

// Put inserts or replaces a value, evicting the least recently used entry when full.
func (c *Cache[K, V]) Put(key K, value V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	exp := time.Time{}
	if c.ttl > 0 {
		exp = c.now().Add(c.ttl)
	}
	if el, found := c.items[key]; found {
		e := el.Value.(*entry[K, V])
		e.value, e.expires = value, exp
		c.order.MoveToFront(el)
		return
	}
	for c.order.Len() >= c.capacity {
		c.removeElement(c.order.Back())
	}
	c.items[key] = c.order.PushFront(&entry[K, V]{key: key, value: value, expires: exp})
}

// GetOrLoad returns the cached value or computes and stores it.
func (c *Cache[K, V]) GetOrLoad(key K, load func(K) (V, error)) (V, error) {
	if v, ok := c.Get(key); ok {
		return v, nil
	}
	v, err := load(key)
	if err != nil {
		var zero V
		return zero, err
	}
	c.Put(key, v)
	return v, nil
}

func (c *Cache[K, V]) removeElement(el *list.Element) {
	e := c.order.Remove(el).(*entry[K, V])
	delete(c.items, e.key)
	if c.onEvict != nil {
		c.onEvict(e.key, e.value)
	}
}

// Len reports the number of entries, including expired ones not yet swept.
func (c *Cache[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items)
}

// HitRate returns hits / (hits + misses), or 0 before any lookup.
func (c *Cache[K, V]) HitRate() float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	total := c.hits + c.misses
	if total == 0 {
		return 0
	}
	return float64(c.hits) / float64(total)
}

// Keys lists keys from most to least recently used.
func (c *Cache[K, V]) Keys() []K {
	c.mu.Lock()
	defer c.mu.Unlock()
	keys := make([]K, 0, c.order.Len())
	for el := c.order.Front(); el != nil; el = el.Next() {
		keys = append(keys, el.Value.(*entry[K, V]).key)
	}
	return keys
}

// Set is a generic set built on a map with empty struct values.
type Set[T comparable] map[T]struct{}

func SetOf[T comparable](items ...T) Set[T] {
	s := make(Set[T], len(items))
	for _, it := range items {
		s[it] = struct{}{}
	}
	return s
}

func (s Set[T]) Has(v T) bool { _, ok := s[v]; return ok }

// MaxBy returns the element with the largest key, and false for an empty slice.
func MaxBy[E any, K Ordered](s []E, key func(E) K) (best E, ok bool) {
	for i, v := range s {
		if i == 0 || key(v) > key(best) {
			best, ok = v, true
		}
	}
	return
}
