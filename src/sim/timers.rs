//! Delayed work ordered by (time, insertion number): FIFO among timers due at the same instant.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::clock::SimTime;

/// A queue of payloads due at given simulated times.
#[derive(Debug, Clone)]
pub struct TimerQueue<T> {
    heap: BinaryHeap<Reverse<Entry<T>>>,
    next_seq: u64,
}

#[derive(Debug, Clone)]
struct Entry<T> {
    at: SimTime,
    seq: u64,
    payload: T,
}

impl<T> PartialEq for Entry<T> {
    fn eq(&self, o: &Self) -> bool {
        (self.at, self.seq) == (o.at, o.seq)
    }
}
impl<T> Eq for Entry<T> {}
impl<T> PartialOrd for Entry<T> {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl<T> Ord for Entry<T> {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        (self.at, self.seq).cmp(&(o.at, o.seq))
    }
}

impl<T> Default for TimerQueue<T> {
    fn default() -> Self {
        TimerQueue {
            heap: BinaryHeap::new(),
            next_seq: 0,
        }
    }
}

impl<T> TimerQueue<T> {
    pub fn schedule(&mut self, at: SimTime, payload: T) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.heap.push(Reverse(Entry { at, seq, payload }));
    }

    /// Removes and returns the earliest timer due at or before `now`.
    pub fn pop_due(&mut self, now: SimTime) -> Option<(SimTime, T)> {
        if self.heap.peek().is_some_and(|Reverse(e)| e.at <= now) {
            self.heap.pop().map(|Reverse(e)| (e.at, e.payload))
        } else {
            None
        }
    }

    pub fn next_due(&self) -> Option<SimTime> {
        self.heap.peek().map(|Reverse(e)| e.at)
    }

    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fires_in_time_order_and_fifo_on_ties() {
        let mut q = TimerQueue::default();
        q.schedule(SimTime(30), "c");
        q.schedule(SimTime(10), "a");
        q.schedule(SimTime(30), "d");
        q.schedule(SimTime(10), "b");
        assert_eq!(q.pop_due(SimTime(5)), None);
        let fired: Vec<_> = std::iter::from_fn(|| q.pop_due(SimTime(100)))
            .map(|(_, p)| p)
            .collect();
        assert_eq!(fired, ["a", "b", "c", "d"]);
        assert!(q.is_empty());
    }
}
