//! The size budget: how much code a spec may make the generator emit.
//!
//! Why a budget: the generated crate's size is what costs memory and time (the emitter
//! builds every file's tokens, then syn and prettyplease hold each file whole), and a
//! small spec can ask for an enormous crate. A chain of 3,000 schemas, each
//! `allOf: [$ref: next]` plus one property, is 300 KB of YAML but 4.5 million struct
//! fields, since every struct holds what it inherits: it ran out of 22 GB. Measured on
//! this project's evil inputs, the generator needs 1.6 to 3.1 KB of memory per emitted
//! line; the budget of [`MAX_LINES`] keeps it under 2 GB, and is twice the largest real
//! spec we know (Stripe's, 243,000 lines). The estimate is counted while the IR is
//! built, so a runaway spec stops early, at the construct that made it big.

use crate::diagnostics::Diagnostic;
use crate::ir::{TypeDef, TypeKind};

/// The most lines the generated crate may be estimated at.
pub const MAX_LINES: usize = 500_000;

/// Estimated lines per item, from the generated code's shape: a struct field is its
/// declaration, serde attribute, doc, `new` argument and initialiser and `with_` setter;
/// an operation its method, builder struct and `Operation` impl; a parameter its field,
/// setter and wire call.
const PER_TYPE: usize = 15;
const PER_FIELD: usize = 7;
const PER_VARIANT: usize = 2;
const PER_UNION_MEMBER: usize = 5;
const PER_OPERATION: usize = 30;
const PER_PARAMETER: usize = 6;

/// The running estimate, and the biggest struct so far (where an error points).
#[derive(Debug, Default)]
pub struct Budget {
    lines: usize,
    operation_lines: usize,
    operations: usize,
    largest: Option<(String, usize)>,
}

impl Budget {
    /// Counts a named type.
    pub fn add_type(&mut self, definition: &TypeDef) {
        let items = match &definition.kind {
            TypeKind::Struct(structure) => {
                let fields = structure.fields.len();
                if self.largest.as_ref().is_none_or(|(_, most)| fields > *most) {
                    self.largest = Some((definition.origin.clone(), fields));
                }
                PER_FIELD * fields
            }
            TypeKind::StringEnum(string_enum) => PER_VARIANT * string_enum.variants.len(),
            TypeKind::IntegerEnum(integer_enum) => PER_VARIANT * integer_enum.variants.len(),
            TypeKind::Union(union) => PER_UNION_MEMBER * union.variants.len(),
            _ => 0,
        };
        self.lines = self.lines.saturating_add(PER_TYPE + items);
    }

    /// Counts an operation and its parameters.
    pub fn add_operation(&mut self, parameters: usize) {
        let lines = PER_OPERATION + PER_PARAMETER * parameters;
        self.lines = self.lines.saturating_add(lines);
        self.operation_lines = self.operation_lines.saturating_add(lines);
        self.operations += 1;
    }

    /// The lines estimated so far.
    pub fn lines(&self) -> usize {
        self.lines
    }

    /// `Err` once the estimate is over [`MAX_LINES`]: located at the biggest struct,
    /// with `chain_depth` (how deep its `allOf` inheritance goes) to say why it is big.
    ///
    /// # Errors
    /// The estimate is over the budget.
    pub fn check(&self, at: &str, chain_depth: impl Fn(&str) -> usize) -> Result<(), Diagnostic> {
        if self.lines <= MAX_LINES {
            return Ok(());
        }
        let culprit = match &self.largest {
            // Operations are most of it: the error is about `paths` as a whole.
            _ if self.operation_lines * 2 > self.lines => Some((
                "#/paths".to_string(),
                format!("; its {} operations are most of it", self.operations),
            )),
            Some((origin, fields)) if *fields > 0 => {
                let depth = chain_depth(origin);
                let chain = if depth > 1 {
                    format!(
                        ", {depth} `allOf` links deep: every struct of such a chain repeats every field it inherits"
                    )
                } else {
                    String::new()
                };
                Some((
                    origin.clone(),
                    format!("; the biggest struct has {fields} fields{chain}"),
                ))
            }
            _ => None,
        };
        let (pointer, why) = culprit.unwrap_or_else(|| (at.to_string(), String::new()));
        Err(Diagnostic::new(
            &pointer,
            format!(
                "the generated crate would be over {MAX_LINES} lines (the budget that keeps generation under 2 GB of memory){why}"
            ),
        ))
    }
}
