//! Nesting a row's cells again: each column's path (`provider.name`, `images.0.url`)
//! says where in the record its value goes, and the maps and lists on the way are made
//! as the first cell under them arrives.
//!
//! Every distinct path prefix of the header is a node. While a record is built,
//! [`Slots`] remembers at which position of its parent map each node's key was put, so
//! the cells after the first under a map (`images.0.width` after `images.0.url`, the
//! dozen columns of `related.1`) reach it by position instead of hashing and comparing
//! its key again at every level. Which cell comes first, and so the order of keys, is
//! unchanged: the first non-empty cell under a key puts it in its map.

use std::collections::{HashMap, HashSet};

use recast_model::{Map, Value};

use crate::header::Segment;

/// Where one column's cells go.
pub(crate) struct ColumnPath {
    segments: Vec<Segment>,
    /// For each segment but the last, how big the container it names will get (its
    /// distinct keys, or its highest index plus one, over the whole header): maps and
    /// lists are made that big at once instead of growing cell by cell.
    capacities: Vec<usize>,
    /// For each segment, the node of the path up to and including it.
    nodes: Vec<usize>,
}

/// The paths of a whole header.
pub(crate) struct Nesting {
    /// Each column's path, in the header's order.
    pub columns: Vec<ColumnPath>,
    /// How many distinct keys the top-level map of a record gets.
    pub top_keys: usize,
    /// How many distinct path prefixes the header has.
    nodes: usize,
}

impl Nesting {
    /// The paths of columns whose segments are `columns`.
    pub fn new(columns: Vec<Vec<Segment>>) -> Nesting {
        let (top_keys, capacities) = container_sizes(&columns);
        let mut ids: HashMap<&[Segment], usize> = HashMap::new();
        let nodes: Vec<Vec<usize>> = columns
            .iter()
            .map(|segments| {
                (1..=segments.len())
                    .map(|end| {
                        let next = ids.len();
                        *ids.entry(&segments[..end]).or_insert(next)
                    })
                    .collect()
            })
            .collect();
        let count = ids.len();
        let columns = columns
            .into_iter()
            .zip(capacities)
            .zip(nodes)
            .map(|((segments, capacities), nodes)| ColumnPath {
                segments,
                capacities,
                nodes,
            })
            .collect();
        Nesting {
            columns,
            top_keys,
            nodes: count,
        }
    }

    /// Empty [`Slots`] for one record of this header.
    pub fn slots(&self) -> Slots {
        Slots(vec![NOWHERE; self.nodes])
    }
}

/// A node not placed yet in the record being built.
const NOWHERE: usize = usize::MAX;

/// For each node of a header, where the record being built holds its key in its parent
/// map ([`NOWHERE`] before the first cell under it).
#[derive(Default)]
pub(crate) struct Slots(Vec<usize>);

impl Slots {
    /// Forgets the record built last, for the next.
    pub fn clear(&mut self) {
        self.0.fill(NOWHERE);
    }
}

/// How big each column's containers get, from the whole header: the number of
/// distinct top-level keys, and for each column and each segment but its last, the
/// distinct keys (or highest index plus one) below that prefix. Only a size hint: a
/// wrong one would cost time, never change a record.
fn container_sizes(columns: &[Vec<Segment>]) -> (usize, Vec<Vec<usize>>) {
    let mut children: HashMap<&[Segment], HashSet<&Segment>> = HashMap::new();
    for segments in columns {
        for end in 0..segments.len() {
            children
                .entry(&segments[..end])
                .or_default()
                .insert(&segments[end]);
        }
    }
    let size = |prefix: &[Segment]| {
        children.get(prefix).map_or(0, |set| {
            set.iter()
                .map(|segment| match segment {
                    Segment::Index(i) => i.saturating_add(1),
                    Segment::Key(_) => set.len(),
                })
                .max()
                .unwrap_or(0)
        })
    };
    let top = size(&[]);
    let capacities = columns
        .iter()
        .map(|segments| {
            (1..segments.len())
                .map(|end| size(&segments[..end]))
                .collect()
        })
        .collect();
    (top, capacities)
}

/// Puts a cell's value at its column's path in `fields`, making the maps and lists on
/// the way. `slots` belongs to the record `fields` is (cleared between records).
pub(crate) fn insert(
    fields: &mut Map,
    path: &ColumnPath,
    slots: &mut Slots,
    value: Value,
) -> Result<(), String> {
    let (Some(first), Some(&node)) = (path.segments.first(), path.nodes.first()) else {
        return Err("the column has no name".into());
    };
    let slot = map_slot(fields, first.text().as_ref(), &mut slots.0[node]);
    place(
        slot,
        &path.segments[1..],
        &path.capacities,
        &path.nodes[1..],
        slots,
        value,
    )
}

/// The value at `key` in `map`, a new null at its end if there is none. `at` is where
/// an earlier cell of this record put the key, if one did: then no lookup is needed.
fn map_slot<'m>(map: &'m mut Map, key: &str, at: &mut usize) -> &'m mut Value {
    use indexmap::map::{RawEntryApiV1, raw_entry_v1::RawEntryMut};
    if *at < map.len() {
        return map.get_index_mut(*at).expect("within the map").1;
    }
    match map.raw_entry_mut_v1().from_key(key) {
        RawEntryMut::Occupied(entry) => {
            *at = entry.index();
            entry.into_mut()
        }
        RawEntryMut::Vacant(entry) => {
            *at = entry.index();
            entry.insert(key.to_owned(), Value::Null).1
        }
    }
}

/// Puts `value` at the path `rest` below `slot` (whose nodes are `nodes`).
fn place(
    slot: &mut Value,
    rest: &[Segment],
    capacities: &[usize],
    nodes: &[usize],
    slots: &mut Slots,
    value: Value,
) -> Result<(), String> {
    let capacity = capacities.first().copied().unwrap_or(0);
    let deeper = capacities.get(1..).unwrap_or(&[]);
    let (node, below) = match nodes.split_first() {
        Some((&node, below)) => (node, below),
        None => (NOWHERE, nodes),
    };
    match rest.split_first() {
        None if slot.is_null() => {
            *slot = value;
            Ok(())
        }
        None => Err(format!(
            "a second value for a field that already holds {}",
            slot.type_in_words()
        )),
        Some((Segment::Index(i), tail)) => {
            if slot.is_null() {
                *slot = Value::List(Vec::with_capacity(capacity));
            }
            let Value::List(list) = slot else {
                return Err(format!("a list item inside {}", slot.type_in_words()));
            };
            if list.len() <= *i {
                list.resize(*i + 1, Value::Null);
            }
            place(&mut list[*i], tail, deeper, below, slots, value)
        }
        Some((Segment::Key(key), tail)) => {
            if slot.is_null() {
                *slot = Value::Map(Map::with_capacity_and_hasher(capacity, Default::default()));
            }
            let Value::Map(map) = slot else {
                return Err(format!("a field inside {}", slot.type_in_words()));
            };
            let slot = map_slot(map, key, &mut slots.0[node]);
            place(slot, tail, deeper, below, slots, value)
        }
    }
}
