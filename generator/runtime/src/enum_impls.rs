//! What every generated enum with a catch-all variant has alike, written once as macros:
//! each enum's own code is its definition (variants and their docs) and one macro call
//! listing its variants and their JSON values.

/// `as_str`, `From<String>`, `From<&str>`, `FromStr`, `Display`, `Serialize`,
/// `Deserialize` and `Validate` of a string enum `$name` whose catch-all variant is
/// `$other`: serde goes through `as_str`/`From<String>`, so every value, known or not,
/// round-trips byte for byte, and validation refuses the catch-all.
macro_rules! string_enum {
    ($name:ident, $other:ident, [$($variant:ident = $value:literal),* $(,)?]) => {
        impl $name {
            /// The value as it appears in JSON.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $value,)*
                    Self::$other(value) => value,
                }
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    $($value => Self::$variant,)*
                    _ => Self::$other(value),
                }
            }
        }

        impl crate::validation::Validate for $name {
            fn validate_at(
                &self,
                field: &crate::validation::FieldPath<'_>,
            ) -> Result<(), crate::validation::ValidationError> {
                let unknown = matches!(self, Self::$other(_));
                let shown = || crate::validation::quoted(self.as_str());
                crate::validation::enum_value(field, unknown, shown, &[$($value),*])
            }
        }

        crate::enum_impls::string_enum_impls!($name);
    };
}

/// `value`, `From<i64>`, `Display`, `Serialize`, `Deserialize` and `Validate` of an
/// integer enum `$name` whose catch-all variant is `$other`, serialised as the bare
/// integer.
macro_rules! integer_enum {
    ($name:ident, $other:ident, [$($variant:ident = $value:literal),* $(,)?]) => {
        impl $name {
            /// The value as it appears in JSON.
            pub fn value(self) -> i64 {
                match self {
                    $(Self::$variant => $value,)*
                    Self::$other(value) => value,
                }
            }
        }

        impl From<i64> for $name {
            fn from(value: i64) -> Self {
                match value {
                    $($value => Self::$variant,)*
                    other => Self::$other(other),
                }
            }
        }

        impl crate::validation::Validate for $name {
            fn validate_at(
                &self,
                field: &crate::validation::FieldPath<'_>,
            ) -> Result<(), crate::validation::ValidationError> {
                let unknown = matches!(self, Self::$other(_));
                let shown = || self.value().to_string();
                crate::validation::enum_value(field, unknown, shown, &[$(stringify!($value)),*])
            }
        }

        crate::enum_impls::integer_enum_impls!($name);
    };
}

/// `From<&str>`, `FromStr`, `Display`, `Serialize` and `Deserialize` of a string enum
/// that has `as_str` and `From<String>`: serde goes through them, so every value, known
/// or not, round-trips byte for byte.
macro_rules! string_enum_impls {
    ($name:ident) => {
        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::from(value.to_string())
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;

            // Not `Self::Err`: an enum may have a variant named `Err` (the value "err").
            fn from_str(value: &str) -> Result<Self, std::convert::Infallible> {
                Ok(Self::from(value))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <String as serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }
    };
}

/// `Display`, `Serialize` and `Deserialize` of an integer enum that has `value` and
/// `From<i64>`, serialised as the bare integer.
macro_rules! integer_enum_impls {
    ($name:ident) => {
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.value())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <i64 as serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }
    };
}

pub(crate) use integer_enum;
pub(crate) use integer_enum_impls;
pub(crate) use string_enum;
pub(crate) use string_enum_impls;

/// Serialises a member of a tagged union: the member's JSON object, with the tag
/// `property` set to `tag` unless the member sets it itself.
///
/// # Errors
/// The member's own serialisation error.
pub(crate) fn serialize_tagged<S: serde::Serializer, T: serde::Serialize>(
    serializer: S,
    property: &str,
    tag: &str,
    member: &T,
) -> Result<S::Ok, S::Error> {
    let mut value = serde_json::to_value(member).map_err(serde::ser::Error::custom)?;
    if let serde_json::Value::Object(object) = &mut value {
        object
            .entry(property)
            .or_insert_with(|| serde_json::Value::from(tag));
    }
    serde::Serialize::serialize(&value, serializer)
}

/// Reads a tagged union's JSON whole: the value of its tag `property` (`None` when
/// absent or not a string) and the value itself, which the member is decoded from with
/// [`tagged_member`], tag included (member types often declare the tag themselves).
///
/// # Errors
/// Input that is not JSON.
pub(crate) fn read_tagged<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
    property: &str,
) -> Result<(Option<String>, serde_json::Value), D::Error> {
    let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
    let tag = value
        .get(property)
        .and_then(serde_json::Value::as_str)
        .map(str::to_owned);
    Ok((tag, value))
}

/// Decodes the member a tag selected from the union's whole JSON value.
///
/// # Errors
/// The member's decoding error, as the outer deserialiser's error.
pub(crate) fn tagged_member<T: serde::de::DeserializeOwned, E: serde::de::Error>(
    value: serde_json::Value,
) -> Result<T, E> {
    serde_json::from_value(value).map_err(E::custom)
}
