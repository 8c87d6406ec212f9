//! Checks the request bodies the bot sends against Discord's official OpenAPI 3.1 spec.
//!
//! The end-to-end tests run the real serenity client against a fake Discord server; the
//! fake server hands every JSON body it receives to [`Spec::validate`], so a body Discord
//! would reject fails the test here instead of in production.
//!
//! The schemas are applied by the `jsonschema` crate (Draft 2020-12). Before that, a small
//! rewrite of the document ([`apply_spec_conventions`]) turns the spec's own conventions
//! (its README) into plain JSON Schema: `oneOf` is read as `anyOf`, integer-typed fields
//! also accept int-parseable strings, snowflake-formatted strings also accept integers,
//! and OpenAPI 3.0's `nullable` admits null. One bot rule is layered on top: message
//! `content` is held to 2000 characters where the spec allows 4000.
//!
//! Every other `format` (`int32`, `uri`, `date-time`, ...) stays an annotation, as Draft
//! 2020-12 has it. The spec file is vendored, and the check never skips: a missing or
//! unreadable file fails every validation with a message naming the path.

use std::collections::{HashMap, HashSet};
use std::num::IntErrorKind;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use jsonschema::error::ValidationErrorKind;
use jsonschema::{Draft, Keyword, Registry, ValidationError, Validator};
use serde_json::{Map, Value};

/// The vendored copy of the spec (see `tests/data/discord-api-spec/README.md`).
const SPEC_PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/discord-api-spec/openapi.json"
);

/// Discord's limit on message `content` for bots; the spec says 4000 (a user limit).
const BOT_CONTENT_MAX_CHARS: u64 = 2000;

/// The component schemas whose `content` the spec lets run to 4000 characters although a
/// bot's message is cut off at 2000 (the webhook and interaction schemas already say 2000).
const BOT_CONTENT_SCHEMAS: &[&str] = &[
    "MessageCreateRequest",
    "MessageEditRequestPartial",
    "BaseCreateMessageCreateRequest",
];

/// The URI the document is registered under, so that each operation's schema can be
/// compiled as a `$ref` into it and its own `#/components/...` references resolve.
const DOCUMENT_URI: &str = "urn:factdesk:discord-openapi";

/// A string that spells an integer, as Discord parses integer-typed strings.
const INTEGER_STRING_PATTERN: &str = "^-?[0-9]+$";

/// A snowflake spelled as a string: digits only.
const SNOWFLAKE_STRING_PATTERN: &str = "^[0-9]+$";

/// A keyword of our own, added by the rewrite beside the `minimum`/`maximum` of schemas
/// that allow integers: JSON Schema bounds constrain numbers only, but where the
/// convention lets a string stand for an integer, it is held to the integer's bounds.
const STRING_BOUNDS_KEYWORD: &str = "x-factdesk-bounds-for-integer-strings";

/// How many `$ref`s in a row are followed when looking for an operation's request schema
/// before calling it a cycle.
const MAX_REF_CHAIN: usize = 32;

/// Discord's request schemas, loaded once from `tests/data/discord-api-spec/openapi.json`.
pub struct Spec {
    /// The indexed spec, or why the file cannot be used: then every [`Spec::validate`]
    /// call fails with that reason, so the schema check fails loudly instead of skipping.
    loaded: Result<LoadedSpec, String>,
}

struct LoadedSpec {
    /// The whole OpenAPI document, with the bot limits and the spec's conventions applied.
    document: Arc<Value>,
    /// The same document registered under [`DOCUMENT_URI`], for `$ref` resolution.
    registry: Registry<'static>,
    /// Every path template under `paths`, split into segments for matching.
    routes: Vec<Route>,
    /// Validators by the JSON pointer of the schema they check, compiled on first use:
    /// the spec is 1.2 MB and a test run touches only a handful of its operations.
    validators: Mutex<HashMap<String, Arc<Validator>>>,
}

/// One path template of the spec, such as `/webhooks/{webhook_id}/{webhook_token}`.
struct Route {
    /// The template exactly as it is keyed under `paths`.
    template: String,
    /// The template's segments between slashes.
    segments: Vec<TemplateSegment>,
}

/// A segment of a path template.
enum TemplateSegment {
    /// A fixed segment such as `messages` or `@original`; must match exactly.
    Literal(String),
    /// A `{parameter}`; matches any one non-empty segment.
    Parameter,
}

impl Spec {
    /// The shared spec, read, rewritten and indexed on first use.
    pub fn load() -> &'static Spec {
        static SPEC: OnceLock<Spec> = OnceLock::new();
        SPEC.get_or_init(|| Spec::load_from(Path::new(SPEC_PATH)))
    }

    /// Reads a spec file; a file that is missing, unreadable or not JSON yields a `Spec`
    /// that fails every validation with the reason.
    fn load_from(path: &Path) -> Spec {
        let loaded = std::fs::read_to_string(path)
            .map_err(|error| {
                format!(
                    "cannot read Discord's OpenAPI spec {}: {error} (it is vendored test data, \
                     and the schema check never skips)",
                    path.display()
                )
            })
            .and_then(|text| {
                serde_json::from_str(&text).map_err(|error| {
                    format!(
                        "Discord's OpenAPI spec {} is not valid JSON: {error}",
                        path.display()
                    )
                })
            })
            .and_then(LoadedSpec::from_document);
        Spec { loaded }
    }

    /// Indexes an already-parsed OpenAPI document.
    fn from_document(document: Value) -> Spec {
        Spec {
            loaded: LoadedSpec::from_document(document),
        }
    }

    /// Validates a request body for `method` ("POST", "PATCH", "PUT") and a concrete path
    /// such as `/api/v10/interactions/123/tok-en/callback`.
    ///
    /// The `/api/v10` prefix is stripped, the matching path template is found (a
    /// `{param}` matches one segment; literal segments such as `@original` must match
    /// exactly and win over parameters), and the body is checked against the operation's
    /// `application/json` request schema (or, failing that, a `multipart/form-data`
    /// schema's `payload_json` part).
    ///
    /// # Errors
    ///
    /// Every problem found, sorted by place in the body, each as
    /// `"<json pointer>: <what is wrong>"` (the pointer reads `(root)` for the whole body),
    /// e.g. `"/data/embeds/0/title: \"tttt... is longer than 256 characters (300 chars)"`
    /// (values are shown cut to 60 characters of JSON).
    /// Where a body fits no branch of a union, the problems of the branch it came closest
    /// to are reported. A path the spec lacks, a method it does not define there, a route
    /// without a JSON body schema, or an unusable spec file is reported as a single
    /// problem naming the request.
    pub fn validate(&self, method: &str, path: &str, body: &Value) -> Result<(), Vec<String>> {
        let spec = self
            .loaded
            .as_ref()
            .map_err(|reason| vec![reason.clone()])?;
        let request = format!("{} {path}", method.to_ascii_uppercase());
        let route_path = strip_api_prefix(path);
        let route = spec.find_route(route_path).ok_or_else(|| {
            vec![format!(
                "{request}: no path in the spec matches {route_path}"
            )]
        })?;
        let validator = spec
            .request_schema_pointer(route, method)
            .and_then(|schema_pointer| spec.validator(&schema_pointer))
            .map_err(|reason| vec![format!("{request} ({}): {reason}", route.template)])?;

        let mut problems: Vec<Problem> = validator
            .iter_errors(body)
            .flat_map(|error| problems_of(&error))
            .collect();
        if problems.is_empty() {
            return Ok(());
        }
        // By place in the body (stable, so one place keeps the crate's keyword order).
        problems.sort_by(|left, right| left.pointer.cmp(&right.pointer));
        // `allOf` parts and `$ref`s can reach the same complaint by several schema paths.
        let mut seen = HashSet::new();
        Err(problems
            .iter()
            .map(Problem::render)
            .filter(|rendered| seen.insert(rendered.clone()))
            .collect())
    }
}

impl LoadedSpec {
    fn from_document(mut document: Value) -> Result<LoadedSpec, String> {
        apply_bot_limits(&mut document);
        apply_spec_conventions(&mut document);
        let routes: Vec<Route> = match document.get("paths").and_then(Value::as_object) {
            Some(paths) => paths
                .keys()
                .map(|template| Route::parse(template))
                .collect(),
            None => Vec::new(),
        };
        if routes.is_empty() {
            return Err("the OpenAPI spec has no `paths`".to_owned());
        }
        let document = Arc::new(document);
        let registry = Registry::new()
            .draft(Draft::Draft202012)
            .add(DOCUMENT_URI, Arc::clone(&document))
            .and_then(|builder| builder.prepare())
            .map_err(|error| format!("the OpenAPI spec cannot be indexed for $refs: {error}"))?;
        Ok(LoadedSpec {
            document,
            registry,
            routes,
            validators: Mutex::new(HashMap::new()),
        })
    }

    /// The route whose template matches `route_path`, preferring literal segments over
    /// parameters at the first place two candidates differ.
    fn find_route(&self, route_path: &str) -> Option<&Route> {
        let concrete: Vec<String> = route_path
            .split('/')
            .filter(|segment| !segment.is_empty())
            .map(percent_decode)
            .collect();
        self.routes
            .iter()
            .filter(|route| route.matches(&concrete))
            // `false < true`, so the largest literal mask is the most specific template.
            .max_by(|left, right| left.literal_mask().cmp(&right.literal_mask()))
    }

    /// The JSON pointer (into the document) of `method`'s request body schema on `route`.
    fn request_schema_pointer(&self, route: &Route, method: &str) -> Result<String, String> {
        let method = method.to_ascii_lowercase();
        let path_item = &self.document["paths"][route.template.as_str()];
        if path_item.get(&method).is_none() {
            let defined: Vec<&str> = path_item
                .as_object()
                .map(|item| {
                    item.keys()
                        .map(String::as_str)
                        .filter(|key| is_http_method(key))
                        .collect()
                })
                .unwrap_or_default();
            return Err(format!(
                "the spec defines no {} here (only {})",
                method.to_ascii_uppercase(),
                defined.join(", ")
            ));
        }
        let operation_pointer = format!("/paths/{}/{method}", pointer_token(&route.template));
        let (body_pointer, request_body) = self
            .follow_refs(format!("{operation_pointer}/requestBody"))
            .ok_or_else(|| "the operation takes no request body".to_owned())?;
        let content = request_body.get("content").unwrap_or(&Value::Null);
        if content.pointer("/application~1json/schema").is_some() {
            return Ok(format!("{body_pointer}/content/application~1json/schema"));
        }
        // Uploads carry their JSON in a `payload_json` form part; use its schema if described.
        if let Some((payload_pointer, payload)) = self.find_payload_json(format!(
            "{body_pointer}/content/multipart~1form-data/schema"
        )) {
            return Ok(if payload.get("contentSchema").is_some() {
                format!("{payload_pointer}/contentSchema")
            } else {
                payload_pointer
            });
        }
        let media_types: Vec<&str> = content
            .as_object()
            .map(|types| types.keys().map(String::as_str).collect())
            .unwrap_or_default();
        Err(format!(
            "no JSON schema for the request body (it is described only as {})",
            media_types.join(", ")
        ))
    }

    /// The `payload_json` property of the multipart schema at `pointer`, looking through
    /// `$ref` and `allOf`.
    fn find_payload_json(&self, pointer: String) -> Option<(String, &Value)> {
        let (pointer, schema) = self.follow_refs(pointer)?;
        if schema.pointer("/properties/payload_json").is_some() {
            return self.follow_refs(format!("{pointer}/properties/payload_json"));
        }
        let parts = schema.get("allOf").and_then(Value::as_array)?;
        (0..parts.len())
            .find_map(|index| self.find_payload_json(format!("{pointer}/allOf/{index}")))
    }

    /// The node at `pointer` after following its chain of local `$ref`s, with its pointer;
    /// `None` when something on the way does not exist (or the chain is a cycle).
    fn follow_refs(&self, mut pointer: String) -> Option<(String, &Value)> {
        for _ in 0..MAX_REF_CHAIN {
            let node = self.document.pointer(&pointer)?;
            match node
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|reference| reference.strip_prefix('#'))
            {
                Some(target) => pointer = percent_decode(target),
                None => return Some((pointer, node)),
            }
        }
        None
    }

    /// The validator of the schema at `schema_pointer`, compiled (and kept) on first use.
    fn validator(&self, schema_pointer: &str) -> Result<Arc<Validator>, String> {
        // A test that panicked while holding the lock left the map intact.
        let mut validators = self
            .validators
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(validator) = validators.get(schema_pointer) {
            return Ok(Arc::clone(validator));
        }
        // A `$ref` into the registered document, so the schema's own `#/...` references
        // resolve against the whole document.
        let reference = serde_json::json!({
            "$ref": format!("{DOCUMENT_URI}#{}", uri_fragment(schema_pointer))
        });
        let validator = jsonschema::options()
            .with_draft(Draft::Draft202012)
            .with_registry(&self.registry)
            .with_keyword(STRING_BOUNDS_KEYWORD, |schema, _value, _location| {
                Ok(Box::new(IntegerStringBounds::of(schema)))
            })
            .build(&reference)
            .map(Arc::new)
            .map_err(|error| {
                format!("the spec's schema at {schema_pointer} does not compile: {error}")
            })?;
        validators.insert(schema_pointer.to_owned(), Arc::clone(&validator));
        Ok(validator)
    }
}

impl Route {
    fn parse(template: &str) -> Route {
        let segments = template
            .split('/')
            .filter(|segment| !segment.is_empty())
            .map(|segment| {
                if segment.starts_with('{') && segment.ends_with('}') {
                    TemplateSegment::Parameter
                } else {
                    TemplateSegment::Literal(segment.to_owned())
                }
            })
            .collect();
        Route {
            template: template.to_owned(),
            segments,
        }
    }

    fn matches(&self, concrete: &[String]) -> bool {
        self.segments.len() == concrete.len()
            && self
                .segments
                .iter()
                .zip(concrete)
                .all(|(segment, actual)| match segment {
                    TemplateSegment::Literal(literal) => literal == actual,
                    TemplateSegment::Parameter => !actual.is_empty(),
                })
    }

    /// Which segments are literal, for ranking templates that match the same path.
    fn literal_mask(&self) -> Vec<bool> {
        self.segments
            .iter()
            .map(|segment| matches!(segment, TemplateSegment::Literal(_)))
            .collect()
    }
}

/// Caps message `content` at the bot limit in the schemas that allow more.
fn apply_bot_limits(document: &mut Value) {
    for schema_name in BOT_CONTENT_SCHEMAS {
        let pointer = format!("/components/schemas/{schema_name}/properties/content");
        if let Some(Value::Object(content)) = document.pointer_mut(&pointer) {
            let current = content.get("maxLength").and_then(Value::as_u64);
            if current.is_none_or(|limit| limit > BOT_CONTENT_MAX_CHARS) {
                content.insert("maxLength".to_owned(), Value::from(BOT_CONTENT_MAX_CHARS));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// The spec's conventions, written into the document as plain JSON Schema.
// ---------------------------------------------------------------------------------------

/// Rewrites every schema in `node` so that a Draft 2020-12 validator reads it the way the
/// spec's README says it is meant (see the module comment).
///
/// It walks every object of the document, not only schema positions: each rule checks the
/// shape of what it rewrites (a `type` of type names, an array under `oneOf`, ...), which a
/// property *named* `type` or `oneOf` (whose value is a schema object) never has. Examples
/// and defaults may be touched too; they are annotations and are never checked.
fn apply_spec_conventions(node: &mut Value) {
    match node {
        Value::Array(items) => items.iter_mut().for_each(apply_spec_conventions),
        Value::Object(schema) => {
            schema.values_mut().for_each(apply_spec_conventions);
            admit_null_where_nullable(schema);
            accept_integers_for_integer_like_strings(schema);
            accept_strings_for_integers(schema);
            accept_string_spellings_of_integer_constants(schema);
            read_one_of_as_any_of(schema);
        }
        _ => {}
    }
}

/// OpenAPI 3.0's `nullable: true`: null is one more allowed type (and enum value).
fn admit_null_where_nullable(schema: &mut Map<String, Value>) {
    if schema.get("nullable") != Some(&Value::Bool(true)) {
        return;
    }
    add_type(schema, "null");
    if let Some(Value::Array(allowed)) = schema.get_mut("enum") {
        if !allowed.contains(&Value::Null) {
            allowed.push(Value::Null);
        }
    }
}

/// A `snowflake` (or `int64`) string may be sent as an integer: allow the integer type,
/// within the format's range, and make sure the string spelling is digits.
fn accept_integers_for_integer_like_strings(schema: &mut Map<String, Value>) {
    let (minimum, maximum, string_pattern) = match schema.get("format").and_then(Value::as_str) {
        Some("snowflake") => (
            Value::from(0),
            Value::from(u64::MAX),
            SNOWFLAKE_STRING_PATTERN,
        ),
        Some("int64") => (
            Value::from(i64::MIN),
            Value::from(i64::MAX),
            INTEGER_STRING_PATTERN,
        ),
        _ => return,
    };
    if !declared_types(schema).contains(&"string") {
        return;
    }
    add_type(schema, "integer");
    // `minimum`/`maximum` constrain only numbers and `pattern` only strings, so each
    // spelling gets its own rule. The spec's own (stricter) snowflake pattern is kept.
    schema.entry("minimum").or_insert(minimum);
    schema.entry("maximum").or_insert(maximum);
    schema
        .entry("pattern")
        .or_insert_with(|| Value::from(string_pattern));
}

/// An integer field may be sent as a string of digits: allow the string type, hold the
/// string to an integer spelling, and to the integer's bounds.
fn accept_strings_for_integers(schema: &mut Map<String, Value>) {
    let types = declared_types(schema);
    let (untyped, allows_integer) = (types.is_empty(), types.contains(&"integer"));
    let allows_string = types.contains(&"string");
    let has_bounds = ["minimum", "maximum"]
        .iter()
        .any(|keyword| schema.get(*keyword).is_some_and(Value::is_number));
    // An untyped schema holding only bounds (such as an `allOf` part) takes its cue from
    // the typed schema around it, which already decided whether a string may stand here.
    if has_bounds && (untyped || allows_integer) {
        schema.insert(STRING_BOUNDS_KEYWORD.to_owned(), Value::Bool(true));
    }
    if !allows_integer || allows_string {
        return;
    }
    add_type(schema, "string");
    // `pattern` constrains strings only, so on a schema that allowed no strings any
    // pattern it had constrained nothing, and replacing it loses nothing.
    schema.insert("pattern".to_owned(), Value::from(INTEGER_STRING_PATTERN));
}

/// An integer `const` or `enum` member also matches its decimal string, so that
/// `{"type": "4"}` passes the constant as it passes the type.
fn accept_string_spellings_of_integer_constants(schema: &mut Map<String, Value>) {
    if let Some(Value::Array(allowed)) = schema.get_mut("enum") {
        let spellings: Vec<Value> = allowed
            .iter()
            .filter(|value| value.is_i64() || value.is_u64())
            .map(|value| Value::String(value.to_string()))
            .filter(|spelling| !allowed.contains(spelling))
            .collect();
        allowed.extend(spellings);
    }
    let integer_constant = schema
        .get("const")
        .filter(|value| value.is_i64() || value.is_u64())
        .cloned();
    if let Some(constant) = integer_constant {
        schema.remove("const");
        let spelling = Value::String(constant.to_string());
        add_constraint(schema, "enum", Value::Array(vec![constant, spelling]));
    }
}

/// The spec's README: `oneOf` and `anyOf` both mean "one of these shapes", and several
/// branches may legitimately fit a body, so `oneOf` is read as `anyOf`.
fn read_one_of_as_any_of(schema: &mut Map<String, Value>) {
    if !matches!(schema.get("oneOf"), Some(Value::Array(_))) {
        return;
    }
    if let Some(branches) = schema.remove("oneOf") {
        add_constraint(schema, "anyOf", branches);
    }
}

/// The type names the schema's `type` lists (one or an array); empty when it has none.
fn declared_types(schema: &Map<String, Value>) -> Vec<&str> {
    match schema.get("type") {
        Some(Value::String(name)) => vec![name.as_str()],
        Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Adds `name` to the schema's `type`; a schema without `type` already allows every type.
fn add_type(schema: &mut Map<String, Value>, name: &str) {
    let mut names = match schema.get("type") {
        Some(Value::String(only)) => vec![Value::from(only.as_str())],
        Some(Value::Array(names)) => names.clone(),
        _ => return,
    };
    if !names.iter().any(|existing| existing == name) {
        names.push(Value::from(name));
    }
    schema.insert("type".to_owned(), Value::Array(names));
}

/// Sets `keyword` on the schema, or, when it is already set, adds it as one more `allOf`
/// part, so that both constraints hold.
fn add_constraint(schema: &mut Map<String, Value>, keyword: &str, value: Value) {
    if !schema.contains_key(keyword) {
        schema.insert(keyword.to_owned(), value);
        return;
    }
    let mut part = Map::new();
    part.insert(keyword.to_owned(), value);
    let parts = schema
        .entry("allOf")
        .or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(parts) = parts {
        parts.push(Value::Object(part));
    }
}

/// The custom keyword [`STRING_BOUNDS_KEYWORD`]: holds an int-parseable string to the
/// integer `minimum`/`maximum` of the schema it sits in (numbers are left to the standard
/// keywords, and other strings to `type` and `pattern`).
struct IntegerStringBounds {
    minimum: Option<i128>,
    maximum: Option<i128>,
}

impl IntegerStringBounds {
    fn of(schema: &Map<String, Value>) -> IntegerStringBounds {
        // The spec's bounds are all integers; a fractional one would only be looser here.
        let bound = |keyword: &str| {
            let value = schema.get(keyword)?;
            value
                .as_i64()
                .map(i128::from)
                .or_else(|| value.as_u64().map(i128::from))
        };
        IntegerStringBounds {
            minimum: bound("minimum"),
            maximum: bound("maximum"),
        }
    }

    /// What is wrong with `instance`, if it is a string spelling an out-of-range integer.
    fn violation(&self, instance: &Value) -> Option<String> {
        let value: i128 = match instance.as_str()?.parse() {
            Ok(value) => value,
            // Digits beyond i128 are beyond any bound the spec sets.
            Err(error)
                if matches!(
                    error.kind(),
                    IntErrorKind::PosOverflow | IntErrorKind::NegOverflow
                ) =>
            {
                return Some(format!("{} is out of range", brief(instance)));
            }
            Err(_) => return None,
        };
        if let Some(minimum) = self.minimum.filter(|&minimum| value < minimum) {
            return Some(format!("{instance} is less than the minimum of {minimum}"));
        }
        if let Some(maximum) = self.maximum.filter(|&maximum| value > maximum) {
            return Some(format!(
                "{instance} is greater than the maximum of {maximum}"
            ));
        }
        None
    }
}

impl<'instance> Keyword<'instance> for IntegerStringBounds {
    fn validate(&self, instance: &'instance Value) -> Result<(), ValidationError<'instance>> {
        match self.violation(instance) {
            Some(message) => Err(ValidationError::custom(message)),
            None => Ok(()),
        }
    }

    fn is_valid(&self, instance: &'instance Value) -> bool {
        self.violation(instance).is_none()
    }
}

// ---------------------------------------------------------------------------------------
// Reporting: the crate's errors as "<pointer>: <what is wrong>", unions by closest branch.
// ---------------------------------------------------------------------------------------

/// One reason a body does not fit its schema.
struct Problem {
    /// JSON pointer to the offending value ("" for the whole body).
    pointer: String,
    /// What is wrong with it.
    message: String,
    /// Whether the value has the wrong JSON type: the weakest kind of near miss when
    /// picking which union branch a body was meant to be.
    type_mismatch: bool,
}

impl Problem {
    /// How deep in the body the problem sits: the number of pointer tokens.
    fn depth(&self) -> usize {
        self.pointer.matches('/').count()
    }

    fn render(&self) -> String {
        let pointer = if self.pointer.is_empty() {
            "(root)"
        } else {
            &self.pointer
        };
        format!("{pointer}: {}", self.message)
    }
}

/// The problems one crate error stands for: itself, or for a union no branch of which
/// fits, the problems of the closest branch.
fn problems_of(error: &ValidationError<'_>) -> Vec<Problem> {
    let pointer = error.instance_path().as_str().to_owned();
    match error.kind() {
        // No `oneOf` is left after the rewrite, so every union is an `anyOf`.
        ValidationErrorKind::AnyOf { context } => {
            union_problems(context, pointer, error.instance())
        }
        kind => vec![Problem {
            message: describe(error),
            type_mismatch: matches!(kind, ValidationErrorKind::Type { .. }),
            pointer,
        }],
    }
}

/// A failed union: its choices when every branch is a constant (an enum spelled as
/// `oneOf` of `const`s), else the problems of the branch that came closest, so the report
/// names the real mistake rather than every alternative.
fn union_problems(
    branches: &[Vec<ValidationError<'static>>],
    pointer: String,
    instance: &Value,
) -> Vec<Problem> {
    if let Some(choices) = constant_choices(branches) {
        return vec![Problem {
            message: format!("{} is not one of {choices}", brief(instance)),
            type_mismatch: false,
            pointer,
        }];
    }
    branches
        .iter()
        .map(|errors| {
            errors
                .iter()
                .flat_map(problems_of)
                .collect::<Vec<Problem>>()
        })
        // `max_by_key` keeps the last of equals; reversed, that is the first branch.
        .rev()
        .max_by_key(|problems| union_rank(problems, &pointer))
        .unwrap_or_default()
}

/// How close a failed union branch came, larger is closer: the branch whose shallowest
/// problem lies deepest got furthest into the body (its discriminating fields matched);
/// then a branch of the right JSON type beats one of the wrong type (so `{}` for a
/// nullable object reports the missing field, not "not of type null"); then fewer problems.
fn union_rank(problems: &[Problem], pointer: &str) -> (usize, bool, std::cmp::Reverse<usize>) {
    let shallowest = problems.iter().map(Problem::depth).min().unwrap_or(0);
    let right_type = !problems
        .iter()
        .any(|problem| problem.type_mismatch && problem.pointer == pointer);
    (shallowest, right_type, std::cmp::Reverse(problems.len()))
}

/// `1, 2, 3` when each branch failed only on its `const`/`enum`.
fn constant_choices(branches: &[Vec<ValidationError<'static>>]) -> Option<String> {
    let mut choices = Vec::new();
    for errors in branches {
        let [error] = errors.as_slice() else {
            return None;
        };
        match error.kind() {
            ValidationErrorKind::Enum { options } => {
                choices.extend(without_string_spellings(options.as_array()?));
            }
            ValidationErrorKind::Constant { expected_value } => choices.push(&**expected_value),
            _ => return None,
        }
    }
    Some(list_values(&choices))
}

/// The crate's message for one error, with the value shortened, and sizes added where
/// a limit was broken ("... is longer than 256 characters (300 chars)").
fn describe(error: &ValidationError<'_>) -> String {
    let instance: &Value = error.instance();
    match error.kind() {
        // The rewrite added string spellings to integer enums; list each choice once.
        ValidationErrorKind::Enum { options } => format!(
            "{} is not one of {}",
            brief(instance),
            list_values(&without_string_spellings(
                options.as_array().map_or(&[], Vec::as_slice)
            ))
        ),
        ValidationErrorKind::Pattern { pattern } if pattern == INTEGER_STRING_PATTERN => {
            format!(
                "{} is neither an integer nor a string of one",
                brief(instance)
            )
        }
        kind => {
            let message = error.masked_with(brief(instance)).to_string();
            match (kind, instance) {
                (
                    ValidationErrorKind::MaxLength { .. } | ValidationErrorKind::MinLength { .. },
                    Value::String(text),
                ) => format!("{message} ({} chars)", text.chars().count()),
                (
                    ValidationErrorKind::MaxItems { .. } | ValidationErrorKind::MinItems { .. },
                    Value::Array(items),
                ) => format!("{message} ({} items)", items.len()),
                _ => message,
            }
        }
    }
}

/// `options` less the string spellings the rewrite added beside integer members.
fn without_string_spellings(options: &[Value]) -> Vec<&Value> {
    let integer_spellings: HashSet<String> = options
        .iter()
        .filter(|option| option.is_i64() || option.is_u64())
        .map(Value::to_string)
        .collect();
    options
        .iter()
        .filter(|option| {
            !option
                .as_str()
                .is_some_and(|text| integer_spellings.contains(text))
        })
        .collect()
}

/// A value as JSON, shortened for a message.
fn brief(value: &Value) -> String {
    const MAX_CHARS: usize = 60;
    let text = value.to_string();
    if text.chars().count() <= MAX_CHARS {
        return text;
    }
    let shortened: String = text.chars().take(MAX_CHARS).collect();
    format!("{shortened}...")
}

fn list_values(values: &[&Value]) -> String {
    let listed: Vec<String> = values.iter().map(|value| brief(value)).collect();
    listed.join(", ")
}

// ---------------------------------------------------------------------------------------
// Paths and pointers.
// ---------------------------------------------------------------------------------------

/// The route part of a request path: no scheme and host, no query, no `/api/v10` prefix.
fn strip_api_prefix(path: &str) -> &str {
    let path = match path.find("://") {
        Some(scheme_end) => {
            let after_scheme = &path[scheme_end + 3..];
            after_scheme
                .find('/')
                .map_or("/", |slash| &after_scheme[slash..])
        }
        None => path,
    };
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let Some(rest) = path.strip_prefix("/api") else {
        return path;
    };
    // Accept any `/vN` (or none), so a version bump fails on the schema, not the prefix.
    let Some(version_and_rest) = rest.strip_prefix("/v") else {
        return rest;
    };
    let digits = version_and_rest.len()
        - version_and_rest
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .len();
    if digits > 0 && version_and_rest[digits..].starts_with('/') {
        &version_and_rest[digits..]
    } else {
        rest
    }
}

/// Decodes `%XX` escapes, so an encoded `%40original` still matches `@original`.
fn percent_decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let escaped = (bytes[index] == b'%')
            .then(|| bytes.get(index + 1..index + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                decoded.push(byte);
                index += 3;
            }
            None => {
                decoded.push(bytes[index]);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

fn is_http_method(key: &str) -> bool {
    matches!(
        key,
        "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace"
    )
}

/// Escapes a property name for use as a JSON pointer token.
fn pointer_token(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// A JSON pointer made fit for a URI fragment: path templates put `{` and `}` in the
/// pointer, which a URI does not allow unescaped (the resolver decodes them again).
fn uri_fragment(pointer: &str) -> String {
    let mut fragment = String::with_capacity(pointer.len());
    for byte in pointer.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?".contains(&byte) {
            fragment.push(char::from(byte));
        } else {
            fragment.push_str(&format!("%{byte:02X}"));
        }
    }
    fragment
}

// ---------------------------------------------------------------------------------------
// Tests: bodies against Discord's vendored spec, then keyword and reporting tests against
// small hand-written documents.
// ---------------------------------------------------------------------------------------

/// An interaction-callback path as serenity requests it (tokens contain `-` and `_`).
const CALLBACK_PATH: &str = "/api/v10/interactions/123/tok-en_x/callback";

/// A channel-message path.
const CHANNEL_MESSAGES_PATH: &str = "/api/v10/channels/5/messages";

fn assert_accepts(spec: &Spec, method: &str, path: &str, body: &Value) {
    if let Err(problems) = spec.validate(method, path, body) {
        panic!(
            "expected {method} {path} to accept\n{body:#}\nbut got:\n{}",
            problems.join("\n")
        );
    }
}

fn rejection(spec: &Spec, method: &str, path: &str, body: &Value) -> Vec<String> {
    match spec.validate(method, path, body) {
        Ok(()) => panic!("expected {method} {path} to reject\n{body:#}"),
        Err(problems) => problems,
    }
}

fn assert_any_starts_with(problems: &[String], expected_start: &str) {
    assert!(
        problems
            .iter()
            .any(|problem| problem.starts_with(expected_start)),
        "expected a problem starting with {expected_start:?}, got:\n{}",
        problems.join("\n")
    );
}

/// A chat-input command as serenity 0.12's `CreateCommand` serializes it: empty
/// localization maps, every option field present, nulls for unset bounds.
fn serenity_command(name: &str) -> Value {
    serde_json::json!({
        "name": name,
        "name_localizations": {},
        "description": "Ask the fact desk about the story",
        "description_localizations": {},
        "options": [{
            "type": 3,
            "name": "question",
            "description": "What you want to know",
            "required": true,
            "choices": [],
            "options": [],
            "channel_types": [],
            "min_value": null,
            "max_value": null,
            "min_length": null,
            "max_length": 200,
            "autocomplete": false
        }],
        "type": 1,
        "nsfw": false,
        "contexts": [0, 1, 2],
        "integration_types": [0]
    })
}

#[test]
fn the_vendored_spec_loads() {
    if let Err(reason) = &Spec::load().loaded {
        panic!("{reason}");
    }
}

#[test]
fn interaction_reply_with_allowed_mentions_and_flags_is_accepted() {
    let body = serde_json::json!({
        "type": 4,
        "data": {"content": "hi", "allowed_mentions": {"parse": []}, "flags": 64}
    });
    assert_accepts(Spec::load(), "POST", CALLBACK_PATH, &body);
}

#[test]
fn embed_title_over_256_chars_is_rejected_at_its_pointer() {
    let body = serde_json::json!({
        "type": 4,
        "data": {
            "content": "Here is what the story says:",
            "embeds": [{"title": "t".repeat(300), "description": "A quote.", "color": 5_793_266}],
            "allowed_mentions": {"parse": []}
        }
    });
    let problems = rejection(Spec::load(), "POST", CALLBACK_PATH, &body);
    // The closest union branch (a message callback) names the one real mistake.
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_any_starts_with(&problems, "/data/embeds/0/title: \"tttt");
    assert!(
        problems[0].ends_with("is longer than 256 characters (300 chars)"),
        "{problems:#?}"
    );
}

#[test]
fn too_many_embeds_and_buttons_are_rejected() {
    let embed = serde_json::json!({"title": "t", "description": "A quote."});
    let button = serde_json::json!({"type": 2, "style": 1, "label": "More", "custom_id": "more"});
    let body = serde_json::json!({
        "content": "x",
        "embeds": vec![embed; 11],
        "components": [{"type": 1, "components": vec![button; 6]}],
        "allowed_mentions": {"parse": []}
    });
    let problems = rejection(Spec::load(), "POST", CHANNEL_MESSAGES_PATH, &body);
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert_any_starts_with(&problems, "/components/0/components: ");
    assert!(
        problems[0].ends_with("has more than 5 items (6 items)"),
        "{problems:#?}"
    );
    assert_any_starts_with(&problems, "/embeds: ");
    assert!(
        problems[1].ends_with("has more than 10 items (11 items)"),
        "{problems:#?}"
    );
}

#[test]
fn non_integer_callback_type_is_rejected() {
    let problems = rejection(
        Spec::load(),
        "POST",
        CALLBACK_PATH,
        &serde_json::json!({"type": "banana"}),
    );
    assert_any_starts_with(
        &problems,
        "/type: \"banana\" is neither an integer nor a string of one",
    );
    let problems = rejection(
        Spec::load(),
        "POST",
        CALLBACK_PATH,
        &serde_json::json!({"type": true}),
    );
    assert_any_starts_with(&problems, "/type: true is not of types");
}

#[test]
fn deferred_callback_is_accepted() {
    let spec = Spec::load();
    assert_accepts(spec, "POST", CALLBACK_PATH, &serde_json::json!({"type": 5}));
    assert_accepts(
        spec,
        "POST",
        CALLBACK_PATH,
        &serde_json::json!({"type": 5, "data": {"flags": 64}}),
    );
}

#[test]
fn autocomplete_result_with_string_choices_is_accepted() {
    let body = serde_json::json!({"type": 8, "data": {"choices": [{"name": "a", "value": "a"}]}});
    assert_accepts(Spec::load(), "POST", CALLBACK_PATH, &body);
}

#[test]
fn autocomplete_choice_over_100_chars_is_rejected() {
    let body = serde_json::json!({"type": 8, "data": {"choices": [{"name": "n".repeat(101), "value": "a"}]}});
    let problems = rejection(Spec::load(), "POST", CALLBACK_PATH, &body);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_any_starts_with(&problems, "/data/choices/0/name: ");
    assert!(
        problems[0].ends_with("is longer than 100 characters (101 chars)"),
        "{problems:#?}"
    );
}

#[test]
fn command_list_put_with_a_string_option_is_accepted() {
    let spec = Spec::load();
    let body = Value::Array(vec![serenity_command("factdesk")]);
    assert_accepts(
        spec,
        "PUT",
        "/api/v10/applications/1/guilds/2/commands",
        &body,
    );
    assert_accepts(spec, "PUT", "/api/v10/applications/1/commands", &body);
}

#[test]
fn command_name_over_32_chars_is_rejected() {
    let body = Value::Array(vec![serenity_command(&"a".repeat(40))]);
    let problems = rejection(
        Spec::load(),
        "PUT",
        "/api/v10/applications/1/guilds/2/commands",
        &body,
    );
    assert_eq!(
        problems,
        [format!(
            "/0/name: \"{}\" is longer than 32 characters (40 chars)",
            "a".repeat(40)
        )]
    );
}

#[test]
fn command_without_a_name_is_rejected() {
    let mut command = serenity_command("factdesk");
    if let Some(fields) = command.as_object_mut() {
        fields.remove("name");
    }
    let problems = rejection(
        Spec::load(),
        "PUT",
        "/api/v10/applications/1/commands",
        &Value::Array(vec![command]),
    );
    assert_eq!(problems, ["/0: \"name\" is a required property"]);
}

#[test]
fn command_option_of_unknown_type_is_rejected() {
    let mut command = serenity_command("factdesk");
    command["options"][0]["type"] = Value::from(99);
    let problems = rejection(
        Spec::load(),
        "PUT",
        "/api/v10/applications/1/commands",
        &Value::Array(vec![command]),
    );
    assert_any_starts_with(&problems, "/0/options/0/type: 99 is not one of ");
}

#[test]
fn channel_message_reply_is_accepted() {
    let body = serde_json::json!({
        "content": "x",
        "message_reference": {"message_id": "1"},
        "allowed_mentions": {"parse": []}
    });
    assert_accepts(Spec::load(), "POST", CHANNEL_MESSAGES_PATH, &body);
}

#[test]
fn link_button_with_style_5_and_url_is_accepted() {
    let spec = Spec::load();
    let row = serde_json::json!([{
        "type": 1,
        "components": [{"type": 2, "style": 5, "label": "Read the article", "url": "https://example.com/story"}]
    }]);
    let message = serde_json::json!({"content": "Source:", "components": row, "allowed_mentions": {"parse": []}});
    assert_accepts(spec, "POST", CHANNEL_MESSAGES_PATH, &message);
    let callback = serde_json::json!({"type": 4, "data": message});
    assert_accepts(spec, "POST", CALLBACK_PATH, &callback);
}

#[test]
fn unknown_button_style_lists_the_allowed_styles() {
    let body = serde_json::json!({
        "content": "Source:",
        "components": [{"type": 1, "components": [{"type": 2, "style": 9, "label": "x", "url": "https://example.com"}]}]
    });
    let problems = rejection(Spec::load(), "POST", CHANNEL_MESSAGES_PATH, &body);
    assert_any_starts_with(
        &problems,
        "/components/0/components/0/style: 9 is not one of 1, 2, 3, 4, 5",
    );
}

#[test]
fn original_response_edit_uses_the_literal_original_template() {
    let spec = Spec::load();
    let Ok(loaded) = &spec.loaded else {
        panic!("the spec did not load; see the_vendored_spec_loads");
    };
    let path = "/api/v10/webhooks/1/tok-en/messages/@original";
    let template = |route_path: &str| {
        loaded
            .find_route(route_path)
            .map(|route| route.template.as_str())
    };
    let original = template(strip_api_prefix(path));
    assert_eq!(
        original,
        Some("/webhooks/{webhook_id}/{webhook_token}/messages/@original")
    );
    assert_eq!(template("/webhooks/1/tok/messages/%40original"), original);
    assert_eq!(
        template("/webhooks/1/tok/messages/77"),
        Some("/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}")
    );

    let edit = serde_json::json!({"content": "Updated answer", "embeds": [], "allowed_mentions": {"parse": []}});
    assert_accepts(spec, "PATCH", path, &edit);
    let follow_up =
        serde_json::json!({"content": "More", "flags": 64, "allowed_mentions": {"parse": []}});
    assert_accepts(spec, "POST", "/api/v10/webhooks/1/tok-en", &follow_up);
    let too_long = serde_json::json!({"content": "x".repeat(2001)});
    assert_any_starts_with(&rejection(spec, "PATCH", path, &too_long), "/content: ");
}

#[test]
fn message_content_is_held_to_the_bot_limit_in_chars() {
    let spec = Spec::load();
    // 2000 two-byte characters: within the limit, which counts characters, not bytes.
    assert_accepts(
        spec,
        "POST",
        CHANNEL_MESSAGES_PATH,
        &serde_json::json!({"content": "é".repeat(2000)}),
    );
    let too_long = serde_json::json!({"content": "x".repeat(2001)});
    // The value is shown shortened to 60 characters of JSON.
    let expected = format!(
        "/content: \"{}... is longer than 2000 characters (2001 chars)",
        "x".repeat(59)
    );
    assert_eq!(
        rejection(spec, "POST", CHANNEL_MESSAGES_PATH, &too_long),
        [expected.as_str()]
    );
    assert_eq!(
        rejection(spec, "PATCH", "/api/v10/channels/5/messages/6", &too_long),
        [expected]
    );
    let callback = serde_json::json!({"type": 4, "data": {"content": "x".repeat(2001)}});
    let problems = rejection(spec, "POST", CALLBACK_PATH, &callback);
    assert_any_starts_with(&problems, "/data/content: ");
    assert!(
        problems[0].ends_with("is longer than 2000 characters (2001 chars)"),
        "{problems:#?}"
    );
}

#[test]
fn integers_and_snowflakes_accept_each_others_spelling() {
    let spec = Spec::load();
    // serenity sends permissions as a string; the spec types them as integers.
    let mut command = serenity_command("factdesk");
    command["default_member_permissions"] = Value::from("0");
    assert_accepts(
        spec,
        "PUT",
        "/api/v10/applications/1/commands",
        &Value::Array(vec![command.clone()]),
    );
    // The integer's bounds hold for its string spelling too.
    command["default_member_permissions"] = Value::from("18014398509481984");
    let problems = rejection(
        spec,
        "PUT",
        "/api/v10/applications/1/commands",
        &Value::Array(vec![command]),
    );
    assert_any_starts_with(
        &problems,
        "/0/default_member_permissions: \"18014398509481984\" is greater than the maximum of",
    );

    assert_accepts(
        spec,
        "POST",
        CALLBACK_PATH,
        &serde_json::json!({"type": "5"}),
    );
    assert_accepts(
        spec,
        "POST",
        CHANNEL_MESSAGES_PATH,
        &serde_json::json!({"content": "x", "message_reference": {"message_id": 1}}),
    );
    let problems = rejection(
        spec,
        "POST",
        CHANNEL_MESSAGES_PATH,
        &serde_json::json!({"content": "x", "message_reference": {"message_id": "abc"}}),
    );
    assert_any_starts_with(
        &problems,
        "/message_reference/message_id: \"abc\" does not match",
    );
    let problems = rejection(
        spec,
        "POST",
        CHANNEL_MESSAGES_PATH,
        &serde_json::json!({"content": "x", "message_reference": {"message_id": -1}}),
    );
    assert_any_starts_with(
        &problems,
        "/message_reference/message_id: -1 is less than the minimum of 0",
    );
    let problems = rejection(
        spec,
        "POST",
        CHANNEL_MESSAGES_PATH,
        &serde_json::json!({"content": "x", "message_reference": {}}),
    );
    assert_any_starts_with(
        &problems,
        "/message_reference: \"message_id\" is a required property",
    );
}

#[test]
fn unmatched_routes_and_non_json_bodies_are_reported() {
    let spec = Spec::load();
    let empty = serde_json::json!({});
    assert_eq!(
        rejection(spec, "POST", "/api/v10/nowhere/1", &empty),
        ["POST /api/v10/nowhere/1: no path in the spec matches /nowhere/1"]
    );
    assert_any_starts_with(
        &rejection(spec, "DELETE", CALLBACK_PATH, &empty),
        "DELETE /api/v10/interactions/123/tok-en_x/callback (/interactions/{interaction_id}/{interaction_token}/callback): the spec defines no DELETE here",
    );
    let stickers = rejection(spec, "POST", "/api/v10/guilds/1/stickers", &empty);
    assert!(
        stickers[0].contains("no JSON schema for the request body"),
        "{stickers:?}"
    );
}

#[test]
fn api_prefix_query_and_host_are_stripped() {
    assert_eq!(
        strip_api_prefix("/api/v10/channels/5/messages"),
        "/channels/5/messages"
    );
    assert_eq!(strip_api_prefix("/api/v9/channels/5"), "/channels/5");
    assert_eq!(strip_api_prefix("/api/channels/5"), "/channels/5");
    assert_eq!(strip_api_prefix("/channels/5?wait=true"), "/channels/5");
    assert_eq!(
        strip_api_prefix("http://127.0.0.1:4000/api/v10/webhooks/1/t?wait=true"),
        "/webhooks/1/t"
    );
    assert_eq!(strip_api_prefix("/api/voice/x"), "/voice/x");
}

/// A one-route document around `schema` (with `components` for `$ref`s), for keyword tests
/// that do not need Discord's spec.
fn mini_spec(schema: Value, components: Value) -> Spec {
    Spec::from_document(serde_json::json!({
        "openapi": "3.1.0",
        "paths": {"/things/{thing_id}": {"post": {
            "requestBody": {"content": {"application/json": {"schema": schema}}}
        }}},
        "components": {"schemas": components}
    }))
}

fn mini_check(spec: &Spec, body: Value) -> Result<(), Vec<String>> {
    spec.validate("POST", "/api/v10/things/1", &body)
}

#[test]
fn objects_honour_required_additional_and_property_counts() {
    let spec = mini_spec(
        serde_json::json!({
            "type": "object",
            "properties": {"name": {"type": "string", "minLength": 1}},
            "patternProperties": {"^x-": {"type": "integer"}},
            "additionalProperties": false,
            "required": ["name"],
            "maxProperties": 2
        }),
        serde_json::json!({}),
    );
    assert_eq!(
        mini_check(&spec, serde_json::json!({"name": "a", "x-count": 3})),
        Ok(())
    );
    assert_eq!(
        mini_check(&spec, serde_json::json!({"nome": "a"})),
        Err(vec![
            "(root): \"name\" is a required property".to_owned(),
            "(root): Additional properties are not allowed ('nome' was unexpected)".to_owned(),
        ])
    );
    assert_eq!(
        mini_check(
            &spec,
            serde_json::json!({"name": "", "x-a": "no", "x-b": 1})
        ),
        Err(vec![
            "(root): {\"name\":\"\",\"x-a\":\"no\",\"x-b\":1} has more than 2 properties"
                .to_owned(),
            "/name: \"\" is shorter than 1 character (0 chars)".to_owned(),
            "/x-a: \"no\" is neither an integer nor a string of one".to_owned(),
        ])
    );
}

#[test]
fn refs_nullable_unique_items_and_bounds_are_checked() {
    let spec = mini_spec(
        serde_json::json!({
            "type": "object",
            "properties": {
                "ids": {"type": "array", "items": {"$ref": "#/components/schemas/Id"}, "uniqueItems": true, "minItems": 1},
                "legacy": {"type": "string", "nullable": true},
                "ratio": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
                "both": {"allOf": [{"type": "integer"}, {"minimum": 10}]}
            }
        }),
        serde_json::json!({"Id": {"type": "string", "pattern": "^(0|[1-9][0-9]*)$", "format": "snowflake"}}),
    );
    assert_eq!(
        mini_check(
            &spec,
            serde_json::json!({"ids": ["1", 2], "legacy": null, "ratio": 0.5, "both": "12"})
        ),
        Ok(())
    );
    assert_eq!(
        mini_check(
            &spec,
            serde_json::json!({"ids": ["01", "1", "1"], "ratio": 0, "both": 9}),
        ),
        Err(vec![
            "/both: 9 is less than the minimum of 10".to_owned(),
            "/ids: [\"01\",\"1\",\"1\"] has non-unique elements".to_owned(),
            "/ids/0: \"01\" does not match \"^(0|[1-9][0-9]*)$\"".to_owned(),
            "/ratio: 0 is less than or equal to the minimum of 0".to_owned(),
        ])
    );
    assert_eq!(
        mini_check(&spec, serde_json::json!({"ids": [], "both": "9"})),
        Err(vec![
            "/both: \"9\" is less than the minimum of 10".to_owned(),
            "/ids: [] has less than 1 item (0 items)".to_owned(),
        ])
    );
    assert_eq!(
        mini_check(
            &spec,
            serde_json::json!({"both": "-".to_owned() + &"9".repeat(40)})
        ),
        Err(vec![format!(
            "/both: \"-{}\" is out of range",
            "9".repeat(40)
        )])
    );
}

#[test]
fn snowflakes_are_digit_strings_or_non_negative_integers() {
    // No pattern of its own: the convention supplies one.
    let spec = mini_spec(
        serde_json::json!({"type": "object", "properties": {"id": {"type": "string", "format": "snowflake"}}}),
        serde_json::json!({}),
    );
    assert_eq!(mini_check(&spec, serde_json::json!({"id": "123"})), Ok(()));
    assert_eq!(mini_check(&spec, serde_json::json!({"id": 123})), Ok(()));
    assert_eq!(
        mini_check(&spec, serde_json::json!({"id": "12a"})),
        Err(vec!["/id: \"12a\" does not match \"^[0-9]+$\"".to_owned()])
    );
    assert_eq!(
        mini_check(&spec, serde_json::json!({"id": -1})),
        Err(vec!["/id: -1 is less than the minimum of 0".to_owned()])
    );
    assert_eq!(
        mini_check(&spec, serde_json::json!({"id": 1.5})),
        Err(vec![
            "/id: 1.5 is not of types \"integer\", \"string\"".to_owned()
        ])
    );
}

#[test]
fn unions_report_the_closest_branch() {
    let spec = mini_spec(
        serde_json::json!({"oneOf": [
            {"type": "null"},
            {"type": "object", "properties": {"kind": {"const": 1}, "text": {"type": "string", "maxLength": 3}}, "required": ["kind"]},
            {"type": "object", "properties": {"kind": {"const": 2}, "n": {"type": "integer"}}, "required": ["kind", "n"]}
        ]}),
        serde_json::json!({}),
    );
    assert_eq!(mini_check(&spec, Value::Null), Ok(()));
    // Both object branches fit: `oneOf` is read as `anyOf`.
    assert_eq!(
        mini_check(&spec, serde_json::json!({"kind": "2", "n": "7"})),
        Ok(())
    );
    assert_eq!(
        mini_check(&spec, serde_json::json!({"kind": 1, "text": "long"})),
        Err(vec![
            "/text: \"long\" is longer than 3 characters (4 chars)".to_owned()
        ])
    );
    // The right type beats the null branch: the missing field is named.
    assert_eq!(
        mini_check(&spec, serde_json::json!({})),
        Err(vec!["(root): \"kind\" is a required property".to_owned()])
    );
}

#[test]
fn unions_of_constants_list_the_choices() {
    let spec = mini_spec(
        serde_json::json!({"type": "integer", "oneOf": [
            {"title": "PRIMARY", "const": 1},
            {"title": "LINK", "const": 5}
        ]}),
        serde_json::json!({}),
    );
    assert_eq!(mini_check(&spec, serde_json::json!(5)), Ok(()));
    assert_eq!(mini_check(&spec, serde_json::json!("5")), Ok(()));
    assert_eq!(
        mini_check(&spec, serde_json::json!(9)),
        Err(vec!["(root): 9 is not one of 1, 5".to_owned()])
    );
}

#[test]
fn uploads_are_checked_against_their_payload_json_part() {
    let spec = Spec::from_document(serde_json::json!({
        "openapi": "3.1.0",
        "paths": {"/uploads": {"post": {"requestBody": {"content": {"multipart/form-data": {
            "schema": {"allOf": [
                {"type": "object", "properties": {"file": {"type": "string"}}},
                {"type": "object", "properties": {"payload_json": {"$ref": "#/components/schemas/Payload"}}}
            ]}
        }}}}}},
        "components": {"schemas": {"Payload": {
            "type": "object", "properties": {"title": {"type": "string", "maxLength": 3}}
        }}}
    }));
    assert_eq!(
        spec.validate("POST", "/uploads", &serde_json::json!({"title": "abc"})),
        Ok(())
    );
    assert_eq!(
        spec.validate("POST", "/uploads", &serde_json::json!({"title": "abcd"})),
        Err(vec![
            "/title: \"abcd\" is longer than 3 characters (4 chars)".to_owned()
        ])
    );
}

#[test]
fn a_missing_or_broken_spec_fails_every_validation_naming_the_file() {
    let body = serde_json::json!({"content": "x"});
    let missing = Spec::load_from(Path::new("/nonexistent/openapi.json"));
    let problems = rejection(&missing, "POST", CHANNEL_MESSAGES_PATH, &body);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_any_starts_with(
        &problems,
        "cannot read Discord's OpenAPI spec /nonexistent/openapi.json: ",
    );

    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("a temporary directory: {error}"));
    let broken_path = dir.path().join("openapi.json");
    std::fs::write(&broken_path, "{\"paths\": ")
        .unwrap_or_else(|error| panic!("writing {}: {error}", broken_path.display()));
    let broken = Spec::load_from(&broken_path);
    assert_any_starts_with(
        &rejection(&broken, "POST", CHANNEL_MESSAGES_PATH, &body),
        &format!(
            "Discord's OpenAPI spec {} is not valid JSON: ",
            broken_path.display()
        ),
    );
}
