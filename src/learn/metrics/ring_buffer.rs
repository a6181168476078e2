//! A fixed-capacity ring buffer for the rolling metrics.
//!
//! What it is for: remembering the last `capacity` per-sample values with one allocation, made at
//! construction, and handing back the value each push evicts.
//! What it is not: a general queue; it never grows.

use serde::{Deserialize, Serialize};

use crate::learn::params::invalid;
use crate::learn::ParamError;

/// The last `capacity` values pushed, oldest evicted first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct RingBuffer<T> {
    slots: Vec<T>,
    capacity: usize,
    /// Where the next value goes (the oldest value once the buffer is full).
    next: usize,
}

impl<T: Copy> RingBuffer<T> {
    /// An empty buffer for `capacity` values.
    ///
    /// # Errors
    /// [`ParamError::InvalidValue`] for a capacity of 0.
    pub(crate) fn new(capacity: usize) -> Result<Self, ParamError> {
        if capacity == 0 {
            return Err(invalid("window", capacity, "must be at least 1"));
        }
        Ok(Self {
            slots: Vec::with_capacity(capacity),
            capacity,
            next: 0,
        })
    }

    /// Stores `value`; returns the value it evicted once the buffer is full.
    pub(crate) fn push(&mut self, value: T) -> Option<T> {
        if self.slots.len() < self.capacity {
            self.slots.push(value);
            self.next = self.slots.len() % self.capacity;
            return None;
        }
        let evicted = std::mem::replace(&mut self.slots[self.next], value);
        self.next = (self.next + 1) % self.capacity;
        Some(evicted)
    }

    /// The values held, in no particular order.
    pub(crate) fn values(&self) -> &[T] {
        &self.slots
    }

    /// Number of values held.
    pub(crate) fn len(&self) -> usize {
        self.slots.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evicts_oldest_first_once_full() {
        let mut r = RingBuffer::new(3).unwrap();
        assert_eq!(r.push(1), None);
        assert_eq!(r.push(2), None);
        assert_eq!(r.push(3), None);
        assert_eq!(r.len(), 3);
        assert_eq!(r.push(4), Some(1));
        assert_eq!(r.push(5), Some(2));
        let mut v = r.values().to_vec();
        v.sort_unstable();
        assert_eq!(v, vec![3, 4, 5]);
        assert_eq!(r.len(), 3);
    }

    #[test]
    fn refuses_zero_capacity() {
        assert!(RingBuffer::<u8>::new(0).is_err());
    }

    #[test]
    fn capacity_one_keeps_the_last_value() {
        let mut r = RingBuffer::new(1).unwrap();
        assert_eq!(r.push(7), None);
        assert_eq!(r.push(8), Some(7));
        assert_eq!(r.values(), &[8]);
    }
}
