//! What a format can carry, as knobs on the generator, and one shape per format.

/// The knobs of the generator: how big values get and what a format can carry.
#[derive(Clone, Debug)]
pub struct Shape {
    /// Most levels of lists and maps inside a value (0: scalars only).
    pub depth: u32,
    /// Most items in one list or map.
    pub width: u32,
    /// Most values (scalars and containers) in one generated value.
    pub size: u32,
    /// Most fields in one record.
    pub fields: u32,
    /// How field and map keys are chosen.
    pub keys: Keys,
    /// Where `null` may appear.
    pub nulls: Nulls,
    /// Whether numbers may be `inf`, `-inf` and `nan`.
    pub non_finite: bool,
    /// Whether text may hold U+0000.
    pub nul: bool,
    /// Field names never generated (fields with a meaning to the format, as
    /// `publishedDateTime` to a feed).
    pub reserved: &'static [&'static str],
    /// What a record's body is.
    pub body: Body,
}

/// How keys are chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keys {
    /// Any text, as values are.
    Text,
    /// Identifiers and a few lookalikes (`a.b`, `true`, `123`, `with space`, `ключ`).
    Names,
    /// A handful of sheet columns (`a`, `b`, `c`, `a.b`, `x:list`, `:order`, ...) that
    /// records share and collide on.
    Columns,
}

/// Where `null` may appear.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nulls {
    /// Anywhere a value may be.
    Anywhere,
    /// Only as an item of a list of scalars: a sheet merges a null field with a missing
    /// one, but keeps a null cell of a list.
    InScalarLists,
}

/// What a record's body is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Body {
    /// An ordinary field: `body` is generated as any other key is.
    Field,
    /// Often a string body, as any text.
    Text,
    /// Often a Markdown body (rules, `...`, fences, CRLF and missing line ends, trailing
    /// spaces, blank lines), and never a `body` key otherwise.
    Markdown,
}

impl Shape {
    /// JSON and JSON Lines: any text and keys, nulls anywhere, finite numbers of any
    /// spelling.
    pub fn json() -> Shape {
        Shape {
            depth: 5,
            width: 5,
            size: 64,
            fields: 7,
            keys: Keys::Text,
            nulls: Nulls::Anywhere,
            non_finite: false,
            nul: true,
            reserved: &[],
            body: Body::Field,
        }
    }

    /// YAML and Markdown with front matter: everything JSON carries, `inf` and `nan`
    /// too, and a Markdown body.
    pub fn yaml() -> Shape {
        Shape {
            depth: 4,
            width: 4,
            size: 40,
            non_finite: true,
            body: Body::Markdown,
            ..Shape::json()
        }
    }

    /// CSV and TSV: few colliding columns, no null in a map (a sheet merges it with a
    /// missing field), shallower values.
    pub fn csv() -> Shape {
        Shape {
            depth: 3,
            width: 3,
            size: 24,
            fields: 4,
            keys: Keys::Columns,
            nulls: Nulls::InScalarLists,
            ..Shape::json()
        }
    }

    /// recast's lossless RSS and Atom: any text (escaped where XML cannot carry it),
    /// `inf` and `nan`; `publishedDateTime` is the feed's own.
    pub fn feed() -> Shape {
        Shape {
            depth: 4,
            width: 4,
            size: 24,
            non_finite: true,
            reserved: &["publishedDateTime"],
            ..Shape::json()
        }
    }

    /// What every format of a round trip through Markdown, YAML, JSON and JSON Lines
    /// carries: plain field names, finite numbers, a Markdown body, and no U+0000 (the
    /// round trip test separates Markdown files with it).
    pub fn every_format() -> Shape {
        Shape {
            keys: Keys::Names,
            non_finite: false,
            nul: false,
            ..Shape::yaml()
        }
    }

    /// The fuzz targets' round trip: any keys and text, finite numbers, often a string
    /// body.
    pub fn fuzz() -> Shape {
        Shape {
            depth: 4,
            width: 5,
            size: 256,
            fields: 5,
            body: Body::Text,
            ..Shape::json()
        }
    }
}
