// Ananke grammar warm-up text: original code, not part of the build.

//! Fixed-capacity containers built on arrays and const generics.

use std::fmt::{self, Debug, Display};
use std::mem::MaybeUninit;
use std::ops::{Index, IndexMut};

/// A ring buffer that overwrites its oldest element when full.
pub struct Ring<T, const N: usize> {
    slots: [MaybeUninit<T>; N],
    head: usize,
    len: usize,
}

impl<T, const N: usize> Ring<T, N> {
    pub const CAPACITY: usize = N;

    pub fn new() -> Self {
        assert!(N > 0, "ring capacity must be non-zero");
        Ring {
            slots: std::array::from_fn(|_| MaybeUninit::uninit()),
            head: 0,
            len: 0,
        }
    }

    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    #[inline]
    fn physical(&self, logical: usize) -> usize {
        (self.head + logical) % N
    }

    /// Pushes a value, returning the evicted oldest one if the ring was full.
    pub fn push(&mut self, value: T) -> Option<T> {
        if self.len < N {
            let idx = self.physical(self.len);
            self.slots[idx].write(value);
            self.len += 1;
            None
        } else {
            let idx = self.head;
            // SAFETY: the ring is full, so every slot, including `head`, is initialised.
            let old = unsafe { self.slots[idx].assume_init_read() };
            self.slots[idx].write(value);
            self.head = (self.head + 1) % N;
            Some(old)
        }
    }

    pub fn pop_front(&mut self) -> Option<T> {
        if self.len == 0 {
            return None;
        }
        let idx = self.head;
        self.head = (self.head + 1) % N;
        self.len -= 1;
        // SAFETY: `idx` was within the initialised range and is now logically removed.
        Some(unsafe { self.slots[idx].assume_init_read() })
    }

    pub fn get(&self, i: usize) -> Option<&T> {
        if i >= self.len {
            return None;
        }
        // SAFETY: indices below `len` map to initialised slots.
        Some(unsafe { self.slots[self.physical(i)].assume_init_ref() })
    }

    pub fn iter(&self) -> Iter<'_, T, N> {
        Iter { ring: self, pos: 0 }
    }
}

impl<T, const N: usize> Default for Ring<T, N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T, const N: usize> Drop for Ring<T, N> {
    fn drop(&mut self) {
        while self.pop_front().is_some() {}
    }
}

impl<T: Debug, const N: usize> Debug for Ring<T, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<T, const N: usize> Index<usize> for Ring<T, N> {
    type Output = T;

    fn index(&self, i: usize) -> &T {
        self.get(i)
            .unwrap_or_else(|| panic!("index {i} out of range for ring of length {}", self.len))
    }
}

impl<T, const N: usize> IndexMut<usize> for Ring<T, N> {
    fn index_mut(&mut self, i: usize) -> &mut T {
        assert!(i < self.len, "index {} out of range", i);
        let idx = self.physical(i);
        // SAFETY: bounds were checked above.
        unsafe { self.slots[idx].assume_init_mut() }
    }
}

pub struct Iter<'a, T, const N: usize> {
    ring: &'a Ring<T, N>,
    pos: usize,
}

impl<'a, T, const N: usize> Iterator for Iter<'a, T, N> {
    type Item = &'a T;

    fn next(&mut self) -> Option<&'a T> {
        let item = self.ring.get(self.pos)?;
        self.pos += 1;
        Some(item)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.ring.len - self.pos;
        (left, Some(left))
    }
}

impl<T, const N: usize> ExactSizeIterator for Iter<'_, T, N> {}

impl<'a, T, const N: usize> IntoIterator for &'a Ring<T, N> {
    type Item = &'a T;
    type IntoIter = Iter<'a, T, N>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<T, const N: usize> Extend<T> for Ring<T, N> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        for v in iter {
            self.push(v);
        }
    }
}

/// Summary statistics over a window of samples.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stats {
    pub min: f64,
    pub max: f64,
    pub mean: f64,
    pub stddev: f64,
}

impl Display for Stats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "min={:.2} max={:.2} mean={:.3} sd={:.3}",
            self.min, self.max, self.mean, self.stddev
        )
    }
}

/// Computes statistics for anything iterable whose items convert to `f64`.
pub fn stats<I>(samples: I) -> Option<Stats>
where
    I: IntoIterator,
    I::Item: Into<f64> + Copy,
{
    let values: Vec<f64> = samples.into_iter().map(Into::into).collect();
    if values.is_empty() {
        return None;
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    let (min, max) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    Some(Stats {
        min,
        max,
        mean,
        stddev: var.sqrt(),
    })
}

/// A moving-average filter over the last `N` readings.
#[derive(Default)]
pub struct MovingAverage<const N: usize> {
    window: Ring<f32, N>,
    sum: f64,
}

impl<const N: usize> MovingAverage<N> {
    pub fn feed(&mut self, x: f32) -> f32 {
        if let Some(old) = self.window.push(x) {
            self.sum -= f64::from(old);
        }
        self.sum += f64::from(x);
        (self.sum / self.window.len() as f64) as f32
    }
}

/// Groups consecutive equal keys, like a run-length encoder.
pub fn runs<T, K, F>(items: &[T], mut key: F) -> Vec<(K, usize)>
where
    K: PartialEq,
    F: FnMut(&T) -> K,
{
    let mut out: Vec<(K, usize)> = Vec::with_capacity(items.len() / 2 + 1);
    for item in items {
        let k = key(item);
        match out.last_mut() {
            Some((last, count)) if *last == k => *count += 1,
            _ => out.push((k, 1)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::rc::Rc;

    #[test]
    fn ring_overwrites_oldest() {
        let mut r: Ring<u8, 3> = Ring::new();
        assert_eq!(Ring::<u8, 3>::CAPACITY, 3);
        assert!(r.is_empty());
        r.extend([1, 2, 3]);
        assert_eq!(r.push(4), Some(1));
        assert_eq!(r.iter().copied().collect::<Vec<_>>(), vec![2, 3, 4]);
        r[0] = 20;
        assert_eq!(format!("{r:?}"), "[20, 3, 4]");
        assert_eq!(r.iter().len(), 3);
    }

    #[test]
    fn ring_drops_every_live_element() {
        let marker = Rc::new(());
        {
            let mut r: Ring<Rc<()>, 4> = Ring::default();
            for _ in 0..6 {
                r.push(Rc::clone(&marker));
            }
            assert_eq!(Rc::strong_count(&marker), 5);
        }
        assert_eq!(Rc::strong_count(&marker), 1);
    }

    #[test]
    fn moving_average_and_stats() {
        let mut avg = MovingAverage::<2>::default();
        let outputs: Vec<f32> = [2.0, 4.0, 8.0].into_iter().map(|x| avg.feed(x)).collect();
        assert_eq!(outputs, [2.0, 3.0, 6.0]);
        let s = stats([1u8, 2, 3, 4]).unwrap();
        assert_eq!((s.min, s.max, s.mean), (1.0, 4.0, 2.5));
        assert!(stats(Vec::<f32>::new()).is_none());
        assert!(s.to_string().starts_with("min=1.00"));
    }

    #[test]
    fn run_lengths() {
        let words = [
            "apple",
            "avocado",
            "banana",
            "blueberry",
            "cherry",
            "apricot",
        ];
        let grouped = runs(&words, |w| w.as_bytes()[0]);
        assert_eq!(grouped, vec![(b'a', 2), (b'b', 2), (b'c', 1), (b'a', 1)]);
    }
}
