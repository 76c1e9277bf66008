//! Checking request values against the spec's constraints before anything is sent.
//!
//! The rules are JSON Schema's, as OpenAPI 3.0 uses them: `pattern` is an ECMA-262
//! regular expression that may match anywhere in the string (anchor it with `^...$` to
//! match all of it) and is run with `regress`, an ECMAScript regex engine, so a value is
//! judged exactly as a JavaScript or JSON Schema validator on the server would;
//! `minLength`/`maxLength` count Unicode code points, not bytes.

use std::fmt;

/// A value that breaks a constraint of the spec. Nothing was sent.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationError {
    /// Where the value is: `body.resources.cpu`, `query.limit`, `body.env[2].name`.
    pub field: String,
    /// The constraint it breaks.
    pub rule: Rule,
    /// The value, as JSON text (strings quoted).
    pub value: String,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` = {} breaks {}", self.field, self.value, self.rule)
    }
}

impl std::error::Error for ValidationError {}

/// A `minimum` or `maximum` as the spec wrote it: an integer schema's bound exactly (an
/// `i64` bound such as `9223372036854775807` is not rounded through `f64`), a number
/// schema's as `f64`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Limit {
    /// The bound of an `integer` schema.
    Integer(i64),
    /// The bound of a `number` schema.
    Number(f64),
}

impl From<i64> for Limit {
    fn from(limit: i64) -> Self {
        Limit::Integer(limit)
    }
}

impl From<f64> for Limit {
    fn from(limit: f64) -> Self {
        Limit::Number(limit)
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Limit::Integer(limit) => write!(f, "{limit}"),
            Limit::Number(limit) => write!(f, "{limit}"),
        }
    }
}

/// A constraint keyword of the spec, with its limit.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Rule {
    /// `pattern`: an ECMA-262 regular expression the string must match.
    Pattern(&'static str),
    /// `minLength`, in code points.
    MinLength(usize),
    /// `maxLength`, in code points.
    MaxLength(usize),
    /// `minimum` (`exclusiveMinimum: true` makes it strict).
    Minimum {
        /// The limit.
        limit: Limit,
        /// The value must be strictly greater.
        exclusive: bool,
    },
    /// `maximum` (`exclusiveMaximum: true` makes it strict).
    Maximum {
        /// The limit.
        limit: Limit,
        /// The value must be strictly smaller.
        exclusive: bool,
    },
    /// `multipleOf`.
    MultipleOf(f64),
    /// `minItems`.
    MinItems(usize),
    /// `maxItems`.
    MaxItems(usize),
    /// `enum`: the value must be one the spec lists (the catch-all variant of a
    /// generated enum holds values it does not list).
    Enum(&'static [&'static str]),
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::Pattern(pattern) => write!(f, "pattern `{pattern}`"),
            Rule::MinLength(limit) => write!(f, "minLength {limit}"),
            Rule::MaxLength(limit) => write!(f, "maxLength {limit}"),
            Rule::Minimum {
                limit,
                exclusive: false,
            } => write!(f, "minimum {limit}"),
            Rule::Minimum {
                limit,
                exclusive: true,
            } => write!(f, "exclusive minimum {limit}"),
            Rule::Maximum {
                limit,
                exclusive: false,
            } => write!(f, "maximum {limit}"),
            Rule::Maximum {
                limit,
                exclusive: true,
            } => write!(f, "exclusive maximum {limit}"),
            Rule::MultipleOf(step) => write!(f, "multipleOf {step}"),
            Rule::MinItems(limit) => write!(f, "minItems {limit}"),
            Rule::MaxItems(limit) => write!(f, "maxItems {limit}"),
            Rule::Enum(values) => write!(f, "enum [{}]", values.join(", ")),
        }
    }
}

/// A value that can be checked against the constraints of the schema it was generated
/// from, and those of every value inside it.
pub trait Validate {
    /// Checks the value, naming it `field` in errors.
    ///
    /// # Errors
    /// The first [`ValidationError`] found, depth first in field order.
    fn validate_at(&self, field: &FieldPath<'_>) -> Result<(), ValidationError>;

    /// Checks the value as a whole request body (fields are named `body.<name>`).
    ///
    /// # Errors
    /// As [`validate_at`](Self::validate_at).
    fn validate(&self) -> Result<(), ValidationError> {
        self.validate_at(&FieldPath::root("body"))
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate_at(&self, field: &FieldPath<'_>) -> Result<(), ValidationError> {
        (**self).validate_at(field)
    }
}

/// An absent (or `null`) value has nothing to check.
impl<T: Validate> Validate for Option<T> {
    fn validate_at(&self, field: &FieldPath<'_>) -> Result<(), ValidationError> {
        match self {
            Some(value) => value.validate_at(field),
            None => Ok(()),
        }
    }
}

/// Each item, named by its index: `body.env[2]`.
impl<T: Validate> Validate for Vec<T> {
    fn validate_at(&self, field: &FieldPath<'_>) -> Result<(), ValidationError> {
        for (index, value) in self.iter().enumerate() {
            value.validate_at(&field.index(index))?;
        }
        Ok(())
    }
}

/// Each value, named by its key.
impl<T: Validate> Validate for std::collections::BTreeMap<String, T> {
    fn validate_at(&self, field: &FieldPath<'_>) -> Result<(), ValidationError> {
        for (key, value) in self {
            value.validate_at(&field.key(key))?;
        }
        Ok(())
    }
}

/// Where a value sits in a request, built up without allocating and rendered only when
/// a check fails: `body`, then `.resources`, then `.cpu`.
#[derive(Debug, Clone, Copy)]
pub struct FieldPath<'a> {
    parent: Option<&'a FieldPath<'a>>,
    segment: Segment<'a>,
    /// The value here is a secret (`format: password`, `writeOnly`): errors about it, or
    /// about anything inside it, show `[redacted]` instead of the value.
    secret: bool,
}

#[derive(Debug, Clone, Copy)]
enum Segment<'a> {
    Name(&'a str),
    Index(usize),
}

impl<'a> FieldPath<'a> {
    /// A path's first segment, e.g. `body` or `query.limit`.
    pub fn root(name: &'a str) -> Self {
        Self {
            parent: None,
            segment: Segment::Name(name),
            secret: false,
        }
    }

    /// A path's first segment, for a value errors must not show (a `format: password`
    /// parameter).
    pub fn secret_root(name: &'a str) -> Self {
        Self {
            parent: None,
            segment: Segment::Name(name),
            secret: true,
        }
    }

    /// The property `name` of this value.
    pub fn field(&'a self, name: &'a str) -> FieldPath<'a> {
        FieldPath {
            parent: Some(self),
            segment: Segment::Name(name),
            secret: false,
        }
    }

    /// The property `name` of this value, whose value errors must not show.
    pub fn secret_field(&'a self, name: &'a str) -> FieldPath<'a> {
        FieldPath {
            parent: Some(self),
            segment: Segment::Name(name),
            secret: true,
        }
    }

    /// Whether this value, or one it sits in, is a secret.
    fn is_secret(&self) -> bool {
        self.secret || self.parent.is_some_and(FieldPath::is_secret)
    }

    /// The item at `index` of this array.
    pub fn index(&'a self, index: usize) -> FieldPath<'a> {
        FieldPath {
            parent: Some(self),
            segment: Segment::Index(index),
            secret: false,
        }
    }

    /// A map value, by its key.
    pub fn key(&'a self, key: &'a str) -> FieldPath<'a> {
        FieldPath {
            parent: Some(self),
            segment: Segment::Name(key),
            secret: false,
        }
    }
}

impl fmt::Display for FieldPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(parent) = self.parent {
            fmt::Display::fmt(parent, f)?;
        }
        match (self.parent, self.segment) {
            (None, Segment::Name(name)) => f.write_str(name),
            (Some(_), Segment::Name(name)) => write!(f, ".{name}"),
            (_, Segment::Index(index)) => write!(f, "[{index}]"),
        }
    }
}

pub(crate) fn fail(
    field: &FieldPath<'_>,
    rule: Rule,
    value: String,
) -> Result<(), ValidationError> {
    let value = if field.is_secret() {
        crate::redact::REDACTED.to_string()
    } else {
        value
    };
    Err(ValidationError {
        field: field.to_string(),
        rule,
        value,
    })
}

/// JSON text of a string, as errors show values.
pub fn quoted(value: &str) -> String {
    serde_json::Value::from(value).to_string()
}

/// The values a check applies to: the value itself, or what the `Option`s (and `Box`)
/// around it hold; an absent or `null` value has nothing to check. So one call checks a
/// property whatever its form (`T`, `Option<T>`, `Option<Option<T>>`).
pub trait Values<T: ?Sized> {
    /// Calls `check` on each value.
    ///
    /// # Errors
    /// The first error `check` returns.
    fn each(
        &self,
        check: &mut dyn FnMut(&T) -> Result<(), ValidationError>,
    ) -> Result<(), ValidationError>;
}

impl Values<str> for String {
    fn each(
        &self,
        check: &mut dyn FnMut(&str) -> Result<(), ValidationError>,
    ) -> Result<(), ValidationError> {
        check(self)
    }
}

impl<T> Values<[T]> for Vec<T> {
    fn each(
        &self,
        check: &mut dyn FnMut(&[T]) -> Result<(), ValidationError>,
    ) -> Result<(), ValidationError> {
        check(self)
    }
}

impl<T: ?Sized, V: Values<T>> Values<T> for Option<V> {
    fn each(
        &self,
        check: &mut dyn FnMut(&T) -> Result<(), ValidationError>,
    ) -> Result<(), ValidationError> {
        match self {
            Some(value) => value.each(check),
            None => Ok(()),
        }
    }
}

impl<T: ?Sized, V: Values<T> + ?Sized> Values<T> for Box<V> {
    fn each(
        &self,
        check: &mut dyn FnMut(&T) -> Result<(), ValidationError>,
    ) -> Result<(), ValidationError> {
        (**self).each(check)
    }
}

/// A number a bound applies to, shown as written. Integers are compared with integer
/// bounds exactly (as `i128`, which holds every `i64` and `u64`); anything involving a
/// float is compared as `f64`.
pub trait Number: Copy + fmt::Display {
    /// The value as `f64`.
    fn as_f64(self) -> f64;
    /// The value as an exact integer, when it is an integer type.
    fn as_i128(self) -> Option<i128>;

    /// Where the value lies relative to `limit`; `None` when they cannot be ordered
    /// (a NaN), which no bound accepts.
    fn compare(self, limit: Limit) -> Option<std::cmp::Ordering> {
        match (self.as_i128(), limit) {
            (Some(value), Limit::Integer(limit)) => Some(value.cmp(&i128::from(limit))),
            #[allow(clippy::cast_precision_loss)]
            (_, Limit::Integer(limit)) => self.as_f64().partial_cmp(&(limit as f64)),
            (_, Limit::Number(limit)) => self.as_f64().partial_cmp(&limit),
        }
    }
}

macro_rules! numbers {
    (integers: $($integer:ty),*; floats: $($float:ty),*) => {
        $(
            impl Number for $integer {
                #[allow(clippy::cast_precision_loss, clippy::cast_lossless)]
                fn as_f64(self) -> f64 {
                    self as f64
                }

                fn as_i128(self) -> Option<i128> {
                    Some(i128::from(self))
                }
            }
        )*
        $(
            impl Number for $float {
                #[allow(clippy::cast_lossless)]
                fn as_f64(self) -> f64 {
                    self as f64
                }

                fn as_i128(self) -> Option<i128> {
                    None
                }
            }
        )*
        $(
            impl Values<$integer> for $integer {
                fn each(
                    &self,
                    check: &mut dyn FnMut(&$integer) -> Result<(), ValidationError>,
                ) -> Result<(), ValidationError> {
                    check(self)
                }
            }
        )*
        $(
            impl Values<$float> for $float {
                fn each(
                    &self,
                    check: &mut dyn FnMut(&$float) -> Result<(), ValidationError>,
                ) -> Result<(), ValidationError> {
                    check(self)
                }
            }
        )*
    };
}

numbers!(integers: i8, i16, i32, i64, u8, u16, u32, u64; floats: f32, f64);

/// `minLength` / `maxLength`, in code points.
pub(crate) fn length<V: Values<str> + ?Sized>(
    value: &V,
    field: &FieldPath<'_>,
    min: Option<usize>,
    max: Option<usize>,
) -> Result<(), ValidationError> {
    value.each(&mut |text| {
        let length = text.chars().count();
        if let Some(min) = min.filter(|min| length < *min) {
            return fail(field, Rule::MinLength(min), quoted(text));
        }
        if let Some(max) = max.filter(|max| length > *max) {
            return fail(field, Rule::MaxLength(max), quoted(text));
        }
        Ok(())
    })
}

/// `minimum` (`exclusiveMinimum` when `exclusive`).
pub(crate) fn minimum<N: Number, V: Values<N> + ?Sized>(
    value: &V,
    field: &FieldPath<'_>,
    limit: impl Into<Limit>,
    exclusive: bool,
) -> Result<(), ValidationError> {
    let limit = limit.into();
    value.each(&mut |number| {
        let allowed = match number.compare(limit) {
            Some(std::cmp::Ordering::Greater) => true,
            Some(std::cmp::Ordering::Equal) => !exclusive,
            Some(std::cmp::Ordering::Less) | None => false,
        };
        if !allowed {
            return fail(
                field,
                Rule::Minimum { limit, exclusive },
                number.to_string(),
            );
        }
        Ok(())
    })
}

/// `maximum` (`exclusiveMaximum` when `exclusive`).
pub(crate) fn maximum<N: Number, V: Values<N> + ?Sized>(
    value: &V,
    field: &FieldPath<'_>,
    limit: impl Into<Limit>,
    exclusive: bool,
) -> Result<(), ValidationError> {
    let limit = limit.into();
    value.each(&mut |number| {
        let allowed = match number.compare(limit) {
            Some(std::cmp::Ordering::Less) => true,
            Some(std::cmp::Ordering::Equal) => !exclusive,
            Some(std::cmp::Ordering::Greater) | None => false,
        };
        if !allowed {
            return fail(
                field,
                Rule::Maximum { limit, exclusive },
                number.to_string(),
            );
        }
        Ok(())
    })
}

/// `multipleOf`, allowing a relative error of 1e-9 so that `1.5` is a multiple of `0.5`
/// and `0.3` one of `0.1` despite binary floating point.
pub(crate) fn multiple_of<N: Number, V: Values<N> + ?Sized>(
    value: &V,
    field: &FieldPath<'_>,
    step: f64,
) -> Result<(), ValidationError> {
    value.each(&mut |number| {
        let quotient = number.as_f64() / step;
        if step > 0.0 && (quotient - quotient.round()).abs() > 1e-9 * quotient.abs().max(1.0) {
            return fail(field, Rule::MultipleOf(step), number.to_string());
        }
        Ok(())
    })
}

/// `minItems` / `maxItems`.
pub(crate) fn items<T, V: Values<[T]> + ?Sized>(
    value: &V,
    field: &FieldPath<'_>,
    min: Option<usize>,
    max: Option<usize>,
) -> Result<(), ValidationError> {
    value.each(&mut |items| {
        let count = items.len();
        let shown = || format!("{count} items");
        if let Some(min) = min.filter(|min| count < *min) {
            return fail(field, Rule::MinItems(min), shown());
        }
        if let Some(max) = max.filter(|max| count > *max) {
            return fail(field, Rule::MaxItems(max), shown());
        }
        Ok(())
    })
}

/// `enum`: `unknown` when the value is the generated enum's catch-all (not one the spec
/// lists); `shown` renders it for the error.
pub(crate) fn enum_value(
    field: &FieldPath<'_>,
    unknown: bool,
    shown: impl FnOnce() -> String,
    allowed: &'static [&'static str],
) -> Result<(), ValidationError> {
    if unknown {
        return fail(field, Rule::Enum(allowed), shown());
    }
    Ok(())
}
