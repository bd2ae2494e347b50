//! One small sort for the lists the core sorts itself.
//!
//! The standard library's sorts (driftsort, ipnsort) are fast on long lists
//! but large: each element type they are used with adds its own copy of
//! quicksort, sorting networks and a fallback, 6–8 KB of WASM apiece, and
//! the core sorted five kinds of list (about 30 KB of the JS package's
//! first module). Those lists are short and mostly in order already: the
//! findings and remarks of one string, the changed nodes of one event, the
//! names of one large object, the prefixes of one detector bucket. So each
//! sort here first checks whether the list is in order (then it is done in
//! one pass) and otherwise runs a heapsort: a few hundred bytes per use, no
//! allocation (but the keyed sort's list of positions), and O(n log n)
//! whatever the input, so hostile input (an object of a million members)
//! still costs bounded time.
//!
//! Invariant: both sorts leave `items` ordered by `less` / `key`; the keyed
//! one keeps equal keys in their original order (it sorts positions, ties
//! broken by position, then moves the items once).

/// Sorts `items` so that no item is `less` than the one before it; equal
/// items may change places.
pub(crate) fn sort_unstable_by<T>(items: &mut [T], mut less: impl FnMut(&T, &T) -> bool) {
    if items.windows(2).all(|pair| !less(&pair[1], &pair[0])) {
        return;
    }
    heapsort(items, &mut less);
}

/// Sorts `items` by `key`, keeping items with equal keys in their order.
pub(crate) fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    if items.windows(2).all(|pair| key(&pair[0]) <= key(&pair[1])) {
        return;
    }
    let mut order: Vec<usize> = (0..items.len()).collect();
    heapsort(&mut order, &mut |&a: &usize, &b: &usize| {
        (key(&items[a]), a) < (key(&items[b]), b)
    });
    permute(items, &mut order);
}

fn heapsort<T>(items: &mut [T], less: &mut impl FnMut(&T, &T) -> bool) {
    let length = items.len();
    for node in (0..length / 2).rev() {
        sift_down(items, node, length, less);
    }
    for end in (1..length).rev() {
        items.swap(0, end);
        sift_down(items, 0, end, less);
    }
}

/// Moves `items[node]` down the max-heap `items[..end]` to where it belongs.
fn sift_down<T>(
    items: &mut [T],
    mut node: usize,
    end: usize,
    less: &mut impl FnMut(&T, &T) -> bool,
) {
    loop {
        let mut child = 2 * node + 1;
        if child >= end {
            return;
        }
        if child + 1 < end && less(&items[child], &items[child + 1]) {
            child += 1;
        }
        if !less(&items[node], &items[child]) {
            return;
        }
        items.swap(node, child);
        node = child;
    }
}

/// Puts `items[order[i]]` at `i` for every `i`, by following each cycle of
/// the permutation with swaps (`order` is used up: each entry becomes its
/// own position).
fn permute<T>(items: &mut [T], order: &mut [usize]) {
    for start in 0..items.len() {
        let mut current = start;
        while order[current] != start {
            let next = order[current];
            items.swap(current, next);
            order[current] = current;
            current = next;
        }
        order[current] = current;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lists of every shape the callers sort: empty, in order, reversed,
    /// with runs of equal keys, and scrambled.
    fn lists() -> Vec<Vec<(u8, usize)>> {
        let mut lists = vec![
            vec![],
            vec![(1, 0)],
            vec![(1, 0), (2, 1)],
            vec![(2, 0), (1, 1)],
        ];
        for length in [3, 7, 16, 33, 100] {
            let mut seed = length as u64;
            let scrambled = (0..length)
                .map(|position| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    ((seed >> 59) as u8, position)
                })
                .collect();
            lists.push(scrambled);
            lists.push((0..length).map(|i| ((length - i) as u8, i)).collect());
            lists.push((0..length).map(|i| ((i % 3) as u8, i)).collect());
        }
        lists
    }

    #[test]
    fn sorts_as_the_standard_library_does() {
        for list in lists() {
            let mut ours = list.clone();
            sort_unstable_by(&mut ours, |a, b| a.0 < b.0);
            let mut keys: Vec<u8> = list.iter().map(|item| item.0).collect();
            keys.sort_unstable();
            assert_eq!(
                ours.iter().map(|item| item.0).collect::<Vec<_>>(),
                keys,
                "{list:?}"
            );

            let mut stable = list.clone();
            sort_by_key(&mut stable, |item| item.0);
            let mut expected = list.clone();
            expected.sort_by_key(|item| item.0);
            assert_eq!(stable, expected, "{list:?}");
        }
    }

    #[test]
    fn a_list_in_order_is_left_as_it_is() {
        let mut list = vec![(1, 'b'), (1, 'a'), (2, 'c')];
        sort_unstable_by(&mut list, |a, b| a.0 < b.0);
        assert_eq!(list, [(1, 'b'), (1, 'a'), (2, 'c')]);
    }
}
