//! Versions of the generated crate and how a change report moves them, as Cargo reads
//! versions: for `0.y.z` the minor number is the breaking one (Cargo treats `0.2.0` and
//! `0.3.0` as incompatible, `0.2.0` and `0.2.1` as compatible), so a breaking change
//! gives `0.(y+1).0` and anything else `0.y.(z+1)`; from `1.0.0` on, major.minor.patch.

use std::fmt;
use std::str::FromStr;

/// A `MAJOR.MINOR.PATCH` version (no pre-release or build part: the generated crate
/// never has one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    /// Major number.
    pub major: u64,
    /// Minor number.
    pub minor: u64,
    /// Patch number.
    pub patch: u64,
}

/// The kind of a change, as semver names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Bump {
    /// Documentation only.
    Patch,
    /// Additive.
    Minor,
    /// Breaking.
    Major,
}

impl Bump {
    /// `patch`, `minor` or `major`.
    pub fn label(self) -> &'static str {
        match self {
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

impl fmt::Display for Bump {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.label())
    }
}

impl Version {
    /// The version after a change of kind `bump`, as Cargo's compatibility rules read it
    /// (see the module docs).
    pub fn bumped(self, bump: Bump) -> Version {
        let Version {
            major,
            minor,
            patch,
        } = self;
        match (major, bump) {
            (0, Bump::Major) => Version::new(0, minor + 1, 0),
            (0, Bump::Minor | Bump::Patch) => Version::new(0, minor, patch + 1),
            (_, Bump::Major) => Version::new(major + 1, 0, 0),
            (_, Bump::Minor) => Version::new(major, minor + 1, 0),
            (_, Bump::Patch) => Version::new(major, minor, patch + 1),
        }
    }

    /// `major.minor.patch`.
    pub const fn new(major: u64, minor: u64, patch: u64) -> Version {
        Version {
            major,
            minor,
            patch,
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

impl FromStr for Version {
    type Err = String;

    /// Parses `MAJOR.MINOR.PATCH`, each a decimal number.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let parts: Vec<&str> = text.trim().split('.').collect();
        let number = |part: &str| {
            if part.is_empty() || !part.chars().all(|c| c.is_ascii_digit()) {
                return Err(format!(
                    "`{text}` is not a version of the form MAJOR.MINOR.PATCH"
                ));
            }
            part.parse::<u64>()
                .map_err(|error| format!("`{text}`: {error}"))
        };
        match parts.as_slice() {
            [major, minor, patch] => {
                Ok(Version::new(number(major)?, number(minor)?, number(patch)?))
            }
            _ => Err(format!(
                "`{text}` is not a version of the form MAJOR.MINOR.PATCH"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_major_versions_bump_minor_for_breaking_and_patch_otherwise() {
        let v = Version::new(0, 2, 0);
        assert_eq!(v.bumped(Bump::Major).to_string(), "0.3.0");
        assert_eq!(v.bumped(Bump::Minor).to_string(), "0.2.1");
        assert_eq!(v.bumped(Bump::Patch).to_string(), "0.2.1");
    }

    #[test]
    fn stable_versions_follow_major_minor_patch() {
        let v = Version::new(1, 4, 2);
        assert_eq!(v.bumped(Bump::Major).to_string(), "2.0.0");
        assert_eq!(v.bumped(Bump::Minor).to_string(), "1.5.0");
        assert_eq!(v.bumped(Bump::Patch).to_string(), "1.4.3");
    }

    #[test]
    fn versions_parse_and_refuse_what_is_not_major_minor_patch() {
        assert_eq!("0.2.0".parse(), Ok(Version::new(0, 2, 0)));
        for bad in ["", "1.2", "1.2.3-beta", "a.b.c", "1..2"] {
            assert!(bad.parse::<Version>().is_err(), "{bad}");
        }
    }
}
