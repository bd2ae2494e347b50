//! Where the walk is in the event, without allocating.
//!
//! Every remark in `_meta` must name the place it describes, but almost every
//! node the walk visits is left alone. So the path lives on the stack as a
//! chain of borrowed segments, and is turned into strings only when a remark
//! is actually written.

/// One step from a parent node to a child.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

/// The path from the event root to the current node.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    segment: Option<Segment<'a>>,
    depth: usize,
}

impl<'a> Path<'a> {
    pub(crate) fn root() -> Path<'static> {
        Path {
            parent: None,
            segment: None,
            depth: 0,
        }
    }

    pub(crate) fn key<'b>(&'b self, key: &'b str) -> Path<'b> {
        self.child(Segment::Key(key))
    }

    pub(crate) fn index(&self, index: usize) -> Path<'_> {
        self.child(Segment::Index(index))
    }

    fn child<'b>(&'b self, segment: Segment<'b>) -> Path<'b> {
        Path {
            parent: Some(self),
            segment: Some(segment),
            depth: self.depth + 1,
        }
    }

    /// How many steps below the event root this node is.
    pub(crate) fn depth(&self) -> usize {
        self.depth
    }

    /// Appends the segments from the root to `text`, as `_meta` spells them
    /// (indices as decimal text), with where each one ends in `ends`.
    pub(crate) fn append_segments(&self, text: &mut String, ends: &mut Vec<usize>) {
        if let Some(parent) = self.parent {
            parent.append_segments(text, ends);
        }
        match self.segment {
            Some(Segment::Key(key)) => text.push_str(key),
            Some(Segment::Index(index)) => push_decimal(text, index),
            None => return,
        }
        ends.push(text.len());
    }

    /// The segments from the root, as `_meta` spells them (indices as strings).
    #[cfg_attr(not(feature = "relay"), allow(dead_code))] // only Relay's rules use it
    pub(crate) fn segments(&self) -> Vec<String> {
        let mut segments = Vec::with_capacity(self.depth);
        let mut current = Some(self);
        while let Some(path) = current {
            match path.segment {
                Some(Segment::Key(key)) => segments.push(key.to_owned()),
                Some(Segment::Index(index)) => segments.push(index.to_string()),
                None => {}
            }
            current = path.parent;
        }
        segments.reverse();
        segments
    }
}

/// Appends `number` in decimal (the formatting machinery costs more than
/// the rest of recording a remark).
fn push_decimal(text: &mut String, mut number: usize) {
    let mut digits = [0u8; 20];
    let mut first = digits.len();
    loop {
        first -= 1;
        // A digit: always below ten.
        digits[first] = b'0' + (number % 10) as u8;
        number /= 10;
        if number == 0 {
            break;
        }
    }
    text.extend(digits[first..].iter().map(|&digit| char::from(digit)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_come_out_root_first() {
        let root = Path::root();
        let values = root.key("exception");
        let values = values.key("values");
        let first = values.index(0);
        let tenth = values.index(907);
        assert_eq!(tenth.segments(), vec!["exception", "values", "907"]);
        assert_eq!(first.segments(), vec!["exception", "values", "0"]);
        assert_eq!(first.depth(), 3);
        let (mut text, mut ends) = (String::new(), Vec::new());
        first.append_segments(&mut text, &mut ends);
        assert_eq!((text.as_str(), ends), ("exceptionvalues0", vec![9, 15, 16]));
    }
}
