//! The generator, written once against [`Choices`]: values, records, numbers, text.

use recast_model::{BODY, Map, Number, Record, Value};

use crate::choices::Choices;
use crate::edges::{
    BODIES, BODY_LINES, COLUMNS, LINE_ENDS, NAMES, NUMBERS, ODD_CHARACTERS, PIECES,
};
use crate::shape::{Body, Keys, Nulls, Shape};

/// A value: a scalar, or lists and maps nested up to the shape's depth.
pub fn value(choices: &mut impl Choices, shape: &Shape) -> Value {
    Generator::new(choices, shape).value(0)
}

/// A record's fields: up to the shape's number of fields, no reserved name, no body
/// (see [`record`]).
pub fn fields(choices: &mut impl Choices, shape: &Shape) -> Map {
    Generator::new(choices, shape).fields()
}

/// A record: [`fields`], and a body as the shape says.
pub fn record(choices: &mut impl Choices, shape: &Shape) -> Record {
    let mut generator = Generator::new(choices, shape);
    let mut fields = generator.fields();
    match shape.body {
        Body::Field => {}
        Body::Text => {
            if generator.choices.coin() {
                fields.shift_remove(BODY);
                fields.insert(BODY.into(), Value::String(generator.text()));
            }
        }
        Body::Markdown => {
            if generator.choices.coin() {
                fields.insert(BODY.into(), Value::String(generator.markdown_body()));
            }
        }
    }
    Record::new(fields, Default::default())
}

/// A number: an edge spelling, a machine integer or float, or a long decimal text.
pub fn number(choices: &mut impl Choices, shape: &Shape) -> Number {
    Generator::new(choices, shape).number()
}

/// A text: lookalikes, indicators, line ends, control and astral characters.
pub fn text(choices: &mut impl Choices, shape: &Shape) -> String {
    Generator::new(choices, shape).text()
}

/// A key, as the shape chooses them (reserved names included: [`fields`] drops them).
pub fn key(choices: &mut impl Choices, shape: &Shape) -> String {
    Generator::new(choices, shape).key()
}

/// One generation: the choices, the shape and how many values may still be made.
struct Generator<'a, C> {
    choices: &'a mut C,
    shape: &'a Shape,
    budget: u32,
}

impl<'a, C: Choices> Generator<'a, C> {
    fn new(choices: &'a mut C, shape: &'a Shape) -> Generator<'a, C> {
        Generator {
            choices,
            shape,
            budget: shape.size,
        }
    }

    fn fields(&mut self) -> Map {
        let mut fields = Map::default();
        for _ in 0..self.choices.up_to(self.shape.fields) {
            let key = self.key();
            let value = self.value(0);
            if !self.reserved(&key) {
                fields.insert(key, value);
            }
        }
        fields
    }

    /// Whether a field named `key` is the format's own (a Markdown body is [`record`]'s).
    fn reserved(&self, key: &str) -> bool {
        self.shape.reserved.contains(&key) || (self.shape.body == Body::Markdown && key == BODY)
    }

    fn value(&mut self, depth: u32) -> Value {
        self.budget = self.budget.saturating_sub(1);
        let nested = depth < self.shape.depth && self.budget > 0;
        let nulls = self.shape.nulls == Nulls::Anywhere;
        // Kinds, in order of simplicity (an exhausted source picks the first).
        let kinds: &[Kind] = match (nulls, nested) {
            (true, true) => &[
                Kind::Null,
                Kind::Bool,
                Kind::Number,
                Kind::Text,
                Kind::List,
                Kind::Map,
            ],
            (true, false) => &[Kind::Null, Kind::Bool, Kind::Number, Kind::Text],
            (false, true) => &[
                Kind::Bool,
                Kind::Number,
                Kind::Text,
                Kind::ScalarList,
                Kind::List,
                Kind::Map,
            ],
            (false, false) => &[Kind::Bool, Kind::Number, Kind::Text],
        };
        match self.choices.pick(kinds) {
            Kind::Null => Value::Null,
            Kind::Bool => Value::Bool(self.choices.coin()),
            Kind::Number => Value::Number(self.number()),
            Kind::Text => Value::String(self.text()),
            Kind::ScalarList => {
                let n = self.choices.up_to(self.shape.width);
                let items = (0..n)
                    .map(|_| match self.choices.below(4) {
                        0 => Value::Null,
                        _ => self.value(self.shape.depth),
                    })
                    .collect();
                Value::List(items)
            }
            Kind::List => {
                let n = self.choices.up_to(self.shape.width);
                Value::List((0..n).map(|_| self.value(depth + 1)).collect())
            }
            Kind::Map => {
                let n = self.choices.up_to(self.shape.width);
                let mut map = Map::default();
                for _ in 0..n {
                    let key = self.key();
                    let value = self.value(depth + 1);
                    map.insert(key, value);
                }
                Value::Map(map)
            }
        }
    }

    fn number(&mut self) -> Number {
        let kinds: &[NumberKind] = if self.shape.non_finite {
            &[
                NumberKind::Edge,
                NumberKind::I64,
                NumberKind::U64,
                NumberKind::I128,
                NumberKind::Float,
                NumberKind::Decimal,
                NumberKind::NonFinite,
            ]
        } else {
            &[
                NumberKind::Edge,
                NumberKind::I64,
                NumberKind::U64,
                NumberKind::I128,
                NumberKind::Float,
                NumberKind::Decimal,
            ]
        };
        match self.choices.pick(kinds) {
            NumberKind::Edge => parse(self.choices.pick::<&str>(NUMBERS)),
            NumberKind::I64 => Number::from(self.choices.bits() as i64),
            NumberKind::U64 => Number::from(self.choices.bits()),
            NumberKind::I128 => {
                let high = u128::from(self.choices.bits()) << 64;
                Number::from((high | u128::from(self.choices.bits())) as i128)
            }
            NumberKind::Float => Number::from_f64(self.float()),
            NumberKind::Decimal => self.decimal(),
            NumberKind::NonFinite => {
                Number::from_f64(
                    *self
                        .choices
                        .pick(&[f64::INFINITY, f64::NEG_INFINITY, f64::NAN]),
                )
            }
        }
    }

    /// A finite float of every class: whole (`3.0`), small decimals, zeros, subnormals,
    /// any bits.
    fn float(&mut self) -> f64 {
        let bits = self.choices.bits();
        let float = match self.choices.below(5) {
            0 => (bits as i64 % 1_000_000_000_000_000) as f64,
            1 => (bits as i64 % 1_000_000_000) as f64 / 10f64.powi(self.choices.below(7) as i32),
            2 => *self.choices.pick(&[0.0, -0.0]),
            3 => f64::from_bits(bits & 0x800f_ffff_ffff_ffff),
            _ => f64::from_bits(bits),
        };
        if float.is_finite() { float } else { f64::MAX }
    }

    /// A number written in JSON syntax, longer than any machine type: up to 40 digits,
    /// a fraction, an exponent.
    fn decimal(&mut self) -> Number {
        let mut text = String::new();
        if self.choices.coin() {
            text.push('-');
        }
        let first = self.choices.below(10) as u8;
        text.push(char::from(b'0' + first));
        if first != 0 {
            for _ in 0..self.choices.up_to(39) {
                text.push(self.digit());
            }
        }
        if self.choices.coin() {
            text.push('.');
            for _ in 0..=self.choices.below(6) {
                text.push(self.digit());
            }
        }
        if self.choices.below(4) == 0 {
            text.push(*self.choices.pick(&['e', 'E']));
            text.push_str(self.choices.pick::<&str>(&["", "+", "-"]));
            text.push_str(&self.choices.up_to(400).to_string());
        }
        parse(&text)
    }

    fn digit(&mut self) -> char {
        char::from(b'0' + self.choices.below(10) as u8)
    }

    fn text(&mut self) -> String {
        let mut text = match self.choices.below(5) {
            // One piece whole: a lookalike must stay a string.
            0 => (*self.choices.pick(PIECES)).to_owned(),
            1 => (0..self.choices.up_to(5))
                .map(|_| *self.choices.pick(PIECES))
                .collect(),
            2 => (0..self.choices.up_to(12))
                .map(|_| self.any_char())
                .collect(),
            3 => (0..self.choices.up_to(16))
                .map(|_| self.ascii_char())
                .collect(),
            // Pieces and characters mixed, as the fuzz targets always had them.
            _ => {
                let mut text = String::new();
                for _ in 0..self.choices.up_to(6) {
                    if self.choices.below(3) == 0 {
                        for _ in 0..self.choices.up_to(8) {
                            text.push(self.any_char());
                        }
                    } else {
                        text.push_str(self.choices.pick::<&str>(PIECES));
                    }
                }
                text
            }
        };
        if !self.shape.nul {
            text.retain(|c| c != '\0');
        }
        text
    }

    /// A printable ASCII character or a tab, LF or CR.
    fn ascii_char(&mut self) -> char {
        match self.choices.below(20) {
            0 => *self.choices.pick(&['\t', '\n', '\r']),
            _ => char::from(b' ' + self.choices.below(95) as u8),
        }
    }

    /// Any character: ASCII, controls, Latin-1, the rest of the BMP, astral planes, and
    /// the characters easy to miss.
    fn any_char(&mut self) -> char {
        let (low, high): (u64, u64) = match self.choices.below(7) {
            0 | 1 => return self.ascii_char(),
            2 => return *self.choices.pick(ODD_CHARACTERS),
            3 => (0, 0x20),
            4 => (0x7f, 0x100),
            5 => (0x100, 0x1_0000),
            _ => (0x1_0000, 0x11_0000),
        };
        let code = (low + self.choices.below(high - low)) as u32;
        char::from_u32(code).unwrap_or('\u{fffd}')
    }

    /// A character a Markdown body holds: no controls (line ends come from the lines).
    fn body_char(&mut self) -> char {
        match self.any_char() {
            c if c.is_control() => 'x',
            c => c,
        }
    }

    fn markdown_body(&mut self) -> String {
        if self.choices.below(4) == 0 {
            return (*self.choices.pick(BODIES)).to_owned();
        }
        let mut body = String::new();
        for _ in 0..self.choices.up_to(5) {
            if self.choices.below(3) == 0 {
                for _ in 0..self.choices.up_to(20) {
                    body.push(self.body_char());
                }
            } else {
                body.push_str(self.choices.pick::<&str>(BODY_LINES));
            }
            body.push_str(self.choices.pick::<&str>(LINE_ENDS));
        }
        body
    }

    fn key(&mut self) -> String {
        match self.shape.keys {
            Keys::Text => self.text(),
            Keys::Names => match self.choices.below(3) {
                0 => (*self.choices.pick(NAMES)).to_owned(),
                _ => self.identifier(),
            },
            Keys::Columns => match self.choices.below(11) {
                0..4 => (*self.choices.pick(&["a", "b", "c"])).to_owned(),
                _ => (*self.choices.pick(COLUMNS)).to_owned(),
            },
        }
    }

    /// `[a-zA-Z_][a-zA-Z0-9_]{0,10}`.
    fn identifier(&mut self) -> String {
        const START: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_";
        const REST: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789";
        let mut name = String::from(char::from(*self.choices.pick(START)));
        for _ in 0..self.choices.up_to(10) {
            name.push(char::from(*self.choices.pick(REST)));
        }
        name
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Null,
    Bool,
    Number,
    Text,
    /// A list of scalars and nulls (a sheet keeps a null cell of a list).
    ScalarList,
    List,
    Map,
}

#[derive(Clone, Copy)]
enum NumberKind {
    Edge,
    I64,
    U64,
    I128,
    Float,
    Decimal,
    NonFinite,
}

fn parse(text: &str) -> Number {
    Number::parse(text).unwrap_or_else(|| panic!("{text:?} is JSON number syntax"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Replay;

    /// Choices from a fixed-seed pseudo-random sequence.
    struct Seeded(u64);

    impl Choices for Seeded {
        fn below(&mut self, n: u64) -> u64 {
            self.bits() % n
        }

        fn bits(&mut self) -> u64 {
            // splitmix64
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let z = (self.0 ^ (self.0 >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            let z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }
    }

    fn each_value(value: &Value, check: &mut impl FnMut(&Value, bool)) {
        match value {
            Value::List(items) => items.iter().for_each(|item| {
                check(item, false);
                each_value(item, check);
            }),
            Value::Map(map) => map.values().for_each(|item| {
                check(item, true);
                each_value(item, check);
            }),
            _ => {}
        }
    }

    #[test]
    fn no_choices_give_the_simplest_values() {
        let record = record(&mut Replay::new(&[]), &Shape::json());
        assert!(record.fields.is_empty());
        assert_eq!(value(&mut Replay::new(&[]), &Shape::json()), Value::Null);
        assert_eq!(
            value(&mut Replay::new(&[]), &Shape::csv()),
            Value::Bool(false)
        );
    }

    #[test]
    fn records_keep_to_their_shape() {
        let mut choices = Seeded(7);
        for shape in [
            Shape::csv(),
            Shape::feed(),
            Shape::every_format(),
            Shape::json(),
        ] {
            for _ in 0..2000 {
                let record = record(&mut choices, &shape);
                for (key, value) in &record.fields {
                    assert!(!shape.reserved.contains(&key.as_str()), "{key}");
                    if shape.body == Body::Markdown && key == BODY {
                        assert!(matches!(value, Value::String(_)));
                    }
                    let mut check = |value: &Value, in_map: bool| {
                        if shape.nulls == Nulls::InScalarLists && in_map {
                            assert_ne!(value, &Value::Null);
                        }
                        if let Value::Number(number) = value {
                            let finite = !matches!(number.as_str(), "inf" | "-inf" | "nan");
                            assert!(finite || shape.non_finite, "{number:?}");
                        }
                        if let Value::String(text) = value {
                            assert!(shape.nul || !text.contains('\0'));
                        }
                    };
                    check(value, true);
                    each_value(value, &mut check);
                }
            }
        }
    }

    #[test]
    fn the_edges_come_up() {
        let mut choices = Seeded(1);
        let shape = Shape::json();
        let texts: Vec<String> = (0..5000).map(|_| text(&mut choices, &shape)).collect();
        for lookalike in ["007", "true", "null", "\u{0}", "😀"] {
            assert!(texts.iter().any(|t| t == lookalike), "{lookalike:?}");
        }
        let numbers: Vec<Number> = (0..5000).map(|_| number(&mut choices, &shape)).collect();
        for edge in ["12345678901234567890123", "1.0", "-0"] {
            assert!(numbers.iter().any(|n| n.as_str() == edge), "{edge}");
        }
    }
}
