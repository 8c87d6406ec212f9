//! Checks the request bodies the bot sends against Discord's official OpenAPI 3.1 spec.
//!
//! The end-to-end tests run the real serenity client against a fake Discord server; the
//! fake server hands every JSON body it receives to [`Spec::validate`], so a body Discord
//! would reject fails the test here instead of in production.
//!
//! The validator is a small JSON Schema (2020-12 subset) interpreter written for the
//! keywords the spec really uses, following the spec's own conventions (its README):
//! `oneOf` is read as `anyOf`, integer-typed fields accept int-parseable strings, and
//! snowflake-formatted strings accept integers. One bot rule is layered on top: message
//! `content` is held to 2000 characters where the spec allows 4000.
//!
//! Checked: `$ref` (local), `type` (one or a list, `"null"` included), OpenAPI 3.0
//! `nullable`, `enum`, `const`, `allOf`, `anyOf`/`oneOf`, `properties`, `required`,
//! `additionalProperties`, `patternProperties`, `minProperties`/`maxProperties`, `items`,
//! `prefixItems`, `minItems`/`maxItems`, `uniqueItems`, `minLength`/`maxLength` (in
//! characters), `pattern` (an ECMA-262 subset), `minimum`/`maximum`,
//! `exclusiveMinimum`/`exclusiveMaximum`, and the `snowflake`/`int64` formats.
//!
//! Ignored: annotations (`title`, `description`, `examples`, `default`, `deprecated`,
//! `contentEncoding`, `x-discord-union`, ...), every other `format` (`int32`, `double`,
//! `uri`, `date-time`, `nonce`), and keywords the spec does not use (`not`,
//! `if`/`then`/`else`, `dependent*`, `propertyNames`, `multipleOf`, remote `$ref`s).

use std::cell::Cell;
use std::cmp::Ordering;
use std::collections::HashSet;
use std::path::Path;
use std::sync::OnceLock;

use serde_json::Value;

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

/// How many schemas may be applied inside one another before we call it a `$ref` cycle;
/// Discord's deepest request bodies (nested components) need a few dozen.
const MAX_SCHEMA_NESTING: usize = 256;

/// Formats under which the spec's convention lets a string of digits and an integer stand
/// for each other.
const INTEGER_LIKE_FORMATS: &[&str] = &["snowflake", "int64"];

/// Discord's request schemas, loaded once from `tests/data/discord-api-spec/openapi.json`.
///
/// The check never skips: a file that is missing, unreadable or not JSON still yields a
/// `Spec`, whose every [`Spec::validate`] call fails with the reason (naming the path), so
/// a lost or broken copy fails the tests instead of silently turning validation off.
pub struct Spec {
    /// The whole OpenAPI document (with the bot limits applied); `$ref`s point into it.
    document: Value,
    /// Every path template under `paths`, split into segments for matching.
    routes: Vec<Route>,
    /// Why the spec file could not be used, if it could not.
    load_problem: Option<String>,
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
    fn new(pointer: &str, message: impl Into<String>) -> Problem {
        Problem {
            pointer: pointer.to_owned(),
            message: message.into(),
            type_mismatch: false,
        }
    }

    fn wrong_type(pointer: &str, message: String) -> Problem {
        Problem {
            type_mismatch: true,
            ..Problem::new(pointer, message)
        }
    }

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

impl Spec {
    /// The shared spec, read and indexed on first use.
    pub fn load() -> &'static Spec {
        static SPEC: OnceLock<Spec> = OnceLock::new();
        SPEC.get_or_init(|| Spec::load_from(Path::new(SPEC_PATH)))
    }

    /// Reads a spec file; one that cannot be used yields a `Spec` that fails every
    /// validation with the reason.
    fn load_from(path: &Path) -> Spec {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(error) => {
                return Spec::unusable(format!(
                    "cannot read Discord's OpenAPI spec {}: {error} (it is vendored test \
                     data, and the schema check never skips)",
                    path.display()
                ))
            }
        };
        match serde_json::from_str::<Value>(&text) {
            Ok(document) => Spec::from_document(document),
            Err(error) => Spec::unusable(format!(
                "Discord's OpenAPI spec {} is not valid JSON: {error}",
                path.display()
            )),
        }
    }

    /// Indexes an already-parsed OpenAPI document.
    fn from_document(mut document: Value) -> Spec {
        apply_bot_limits(&mut document);
        let routes: Vec<Route> = match document.get("paths").and_then(Value::as_object) {
            Some(paths) => paths
                .keys()
                .map(|template| Route::parse(template))
                .collect(),
            None => Vec::new(),
        };
        let load_problem = routes
            .is_empty()
            .then(|| "the OpenAPI spec has no `paths`".to_owned());
        Spec {
            document,
            routes,
            load_problem,
        }
    }

    /// A spec that fails every validation with `reason`.
    fn unusable(reason: String) -> Spec {
        Spec {
            document: Value::Null,
            routes: Vec::new(),
            load_problem: Some(reason),
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
    /// e.g. `"/data/embeds/0/title: string longer than maxLength 256 (300 chars)"`. A path
    /// the spec lacks, a method it does not define there, a route without a JSON body
    /// schema, or an unusable spec file is reported as a single problem naming the request.
    pub fn validate(&self, method: &str, path: &str, body: &Value) -> Result<(), Vec<String>> {
        if let Some(reason) = &self.load_problem {
            return Err(vec![reason.clone()]);
        }
        let request = format!("{} {path}", method.to_ascii_uppercase());
        let route_path = strip_api_prefix(path);
        let route = self.find_route(route_path).ok_or_else(|| {
            vec![format!(
                "{request}: no path in the spec matches {route_path}"
            )]
        })?;
        let schema = self
            .request_schema(route, method)
            .map_err(|reason| vec![format!("{request} ({}): {reason}", route.template)])?;

        let validator = Validator {
            document: &self.document,
        };
        let mut problems = validator.check(schema, body, "", 0);
        if problems.is_empty() {
            return Ok(());
        }
        // By place in the body, so the report does not depend on the map's key order.
        problems.sort_by(|left, right| left.pointer.cmp(&right.pointer));
        // Unions and `allOf` can reach the same complaint by several schema paths.
        let mut seen = HashSet::new();
        Err(problems
            .into_iter()
            .map(|problem| problem.render())
            .filter(|rendered| seen.insert(rendered.clone()))
            .collect())
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

    /// The JSON schema of `method`'s request body on `route`, `$ref`s at the top resolved.
    fn request_schema(&self, route: &Route, method: &str) -> Result<&Value, String> {
        let path_item = &self.document["paths"][route.template.as_str()];
        let operation = path_item.get(method.to_ascii_lowercase()).ok_or_else(|| {
            let defined: Vec<&str> = path_item
                .as_object()
                .map(|item| {
                    item.keys()
                        .map(String::as_str)
                        .filter(|key| is_http_method(key))
                        .collect()
                })
                .unwrap_or_default();
            format!(
                "the spec defines no {method} here (only {})",
                defined.join(", ")
            )
        })?;
        let request_body = operation
            .get("requestBody")
            .map(|body| self.follow_refs(body))
            .ok_or_else(|| "the operation takes no request body".to_owned())?;
        let content = request_body.get("content").unwrap_or(&Value::Null);
        if let Some(schema) = content.pointer("/application~1json/schema") {
            return Ok(schema);
        }
        // Uploads carry their JSON in a `payload_json` form part; use its schema if described.
        if let Some(multipart) = content.pointer("/multipart~1form-data/schema") {
            if let Some(payload) = self.find_payload_json(multipart) {
                return Ok(payload.get("contentSchema").unwrap_or(payload));
            }
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

    /// The `payload_json` property of a multipart schema, looking through `$ref` and `allOf`.
    fn find_payload_json<'spec>(&'spec self, schema: &'spec Value) -> Option<&'spec Value> {
        let schema = self.follow_refs(schema);
        if let Some(payload) = schema.pointer("/properties/payload_json") {
            return Some(self.follow_refs(payload));
        }
        schema
            .get("allOf")
            .and_then(Value::as_array)?
            .iter()
            .find_map(|part| self.find_payload_json(part))
    }

    /// Follows a chain of `$ref`s (with a bound, in case of a cycle).
    fn follow_refs<'spec>(&'spec self, mut node: &'spec Value) -> &'spec Value {
        for _ in 0..MAX_SCHEMA_NESTING {
            match node
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|reference| resolve_ref(&self.document, reference))
            {
                Some(target) => node = target,
                None => break,
            }
        }
        node
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

/// Resolves a local `$ref` such as `#/components/schemas/RichEmbed`.
fn resolve_ref<'spec>(document: &'spec Value, reference: &str) -> Option<&'spec Value> {
    let pointer = reference.strip_prefix('#')?;
    document.pointer(&percent_decode(pointer))
}

/// Escapes a property name for use as a JSON pointer token.
fn pointer_token(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// Applies schemas to values, collecting every problem.
struct Validator<'spec> {
    /// The document local `$ref`s resolve against.
    document: &'spec Value,
}

impl Validator<'_> {
    /// The problems `instance` (at `pointer` in the body) has against `schema`.
    fn check(
        &self,
        schema: &Value,
        instance: &Value,
        pointer: &str,
        nesting: usize,
    ) -> Vec<Problem> {
        if nesting > MAX_SCHEMA_NESTING {
            return vec![Problem::new(
                pointer,
                "schemas nest too deeply to check (a $ref cycle in the spec?)",
            )];
        }
        let schema = match schema {
            Value::Object(schema) => schema,
            Value::Bool(false) => return vec![Problem::new(pointer, "no value is allowed here")],
            // `true` allows everything; anything else is not a schema we can apply.
            _ => return Vec::new(),
        };
        // OpenAPI 3.0's `nullable` admits null whatever else the schema says.
        if instance.is_null() && schema.get("nullable") == Some(&Value::Bool(true)) {
            return Vec::new();
        }

        let mut problems = Vec::new();
        let format = schema.get("format").and_then(Value::as_str);

        // In OpenAPI 3.1 `$ref` may have siblings, so it is checked alongside the rest.
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            match resolve_ref(self.document, reference) {
                Some(target) => problems.extend(self.check(target, instance, pointer, nesting + 1)),
                None => problems.push(Problem::new(
                    pointer,
                    format!("the spec's $ref {reference} does not resolve"),
                )),
            }
        }

        let allowed_types = schema_types(schema.get("type"));
        if !allowed_types.is_empty()
            && !allowed_types
                .iter()
                .any(|type_name| has_type(instance, type_name, format))
        {
            problems.push(Problem::wrong_type(
                pointer,
                format!(
                    "expected {}, got {}",
                    allowed_types.join(" or "),
                    describe(instance)
                ),
            ));
            // Every other keyword would only restate the type mismatch.
            return problems;
        }

        if let Some(Value::Array(allowed)) = schema.get("enum") {
            // An empty `enum` is a spec generator slip (it would forbid everything); skip it.
            if !allowed.is_empty() && !allowed.iter().any(|value| loosely_equal(value, instance)) {
                problems.push(Problem::new(
                    pointer,
                    format!("{} is not one of {}", brief(instance), list_values(allowed)),
                ));
            }
        }
        if let Some(expected) = schema.get("const") {
            if !loosely_equal(expected, instance) {
                problems.push(Problem::new(
                    pointer,
                    format!("expected {}, got {}", brief(expected), brief(instance)),
                ));
            }
        }
        if let Some(message) = format.and_then(|format| format_problem(format, instance)) {
            problems.push(Problem::new(pointer, message));
        }

        if let Some(text) = instance.as_str() {
            problems.extend(string_problems(schema, text, pointer));
        }
        // Integer fields accept int-parseable strings, so their bounds apply to those too;
        // an untyped schema (such as an `allOf` part holding only `minimum`) takes its
        // cue from the typed schema around it, which already let the string through.
        let allows_integer = allowed_types.is_empty() || allowed_types.contains(&"integer");
        if let Some(number) = Numeric::of_instance(instance, allows_integer) {
            problems.extend(number_problems(schema, number, pointer));
        }
        if let Some(items) = instance.as_array() {
            problems.extend(self.array_problems(schema, items, pointer, nesting));
        }
        if let Some(object) = instance.as_object() {
            problems.extend(self.object_problems(schema, object, pointer, nesting));
        }

        if let Some(Value::Array(parts)) = schema.get("allOf") {
            for part in parts {
                problems.extend(self.check(part, instance, pointer, nesting + 1));
            }
        }
        // The spec's README: `oneOf` and `anyOf` both mean "one of these shapes", and
        // several branches may legitimately fit a body, so both are read as `anyOf`.
        for union_keyword in ["anyOf", "oneOf"] {
            if let Some(Value::Array(branches)) = schema.get(union_keyword) {
                problems.extend(self.union_problems(branches, instance, pointer, nesting));
            }
        }
        problems
    }

    fn array_problems(
        &self,
        schema: &serde_json::Map<String, Value>,
        items: &[Value],
        pointer: &str,
        nesting: usize,
    ) -> Vec<Problem> {
        let mut problems = Vec::new();
        if let Some(max) = schema.get("maxItems").and_then(Value::as_u64) {
            if items.len() as u64 > max {
                problems.push(Problem::new(
                    pointer,
                    format!("array longer than maxItems {max} ({} items)", items.len()),
                ));
            }
        }
        if let Some(min) = schema.get("minItems").and_then(Value::as_u64) {
            if (items.len() as u64) < min {
                problems.push(Problem::new(
                    pointer,
                    format!("array shorter than minItems {min} ({} items)", items.len()),
                ));
            }
        }
        if schema.get("uniqueItems") == Some(&Value::Bool(true)) {
            let duplicate = items.iter().enumerate().find_map(|(later, item)| {
                items[..later]
                    .iter()
                    .position(|earlier| json_equal(earlier, item))
                    .map(|earlier| (earlier, later))
            });
            if let Some((earlier, later)) = duplicate {
                problems.push(Problem::new(
                    pointer,
                    format!("items {earlier} and {later} are equal but uniqueItems is set"),
                ));
            }
        }
        // `prefixItems` (or a draft-04 style `items` array) checks positions; a schema-valued
        // `items` checks everything after them.
        let (positional, rest) = match (schema.get("prefixItems"), schema.get("items")) {
            (Some(Value::Array(prefix)), rest) => (prefix.as_slice(), rest),
            (_, Some(Value::Array(tuple))) => (tuple.as_slice(), None),
            (_, rest) => (&[][..], rest),
        };
        for (index, item) in items.iter().enumerate() {
            let item_schema = positional.get(index).or(rest);
            if let Some(item_schema) = item_schema {
                problems.extend(self.check(
                    item_schema,
                    item,
                    &format!("{pointer}/{index}"),
                    nesting + 1,
                ));
            }
        }
        problems
    }

    fn object_problems(
        &self,
        schema: &serde_json::Map<String, Value>,
        object: &serde_json::Map<String, Value>,
        pointer: &str,
        nesting: usize,
    ) -> Vec<Problem> {
        let mut problems = Vec::new();
        if let Some(Value::Array(required)) = schema.get("required") {
            for name in required.iter().filter_map(Value::as_str) {
                if !object.contains_key(name) {
                    problems.push(Problem::new(
                        pointer,
                        format!("missing required property \"{name}\""),
                    ));
                }
            }
        }
        if let Some(max) = schema.get("maxProperties").and_then(Value::as_u64) {
            if object.len() as u64 > max {
                problems.push(Problem::new(
                    pointer,
                    format!(
                        "object has more than maxProperties {max} ({} properties)",
                        object.len()
                    ),
                ));
            }
        }
        if let Some(min) = schema.get("minProperties").and_then(Value::as_u64) {
            if (object.len() as u64) < min {
                problems.push(Problem::new(
                    pointer,
                    format!(
                        "object has fewer than minProperties {min} ({} properties)",
                        object.len()
                    ),
                ));
            }
        }

        let properties = schema.get("properties").and_then(Value::as_object);
        // Patterns the mini regex cannot parse are skipped rather than failing the body.
        let pattern_properties: Vec<(Pattern, &Value)> = schema
            .get("patternProperties")
            .and_then(Value::as_object)
            .map(|patterns| {
                patterns
                    .iter()
                    .filter_map(|(source, sub_schema)| {
                        Pattern::parse(source).map(|pattern| (pattern, sub_schema))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let additional = schema.get("additionalProperties");

        for (name, value) in object {
            let child_pointer = format!("{pointer}/{}", pointer_token(name));
            let mut described = false;
            if let Some(property_schema) = properties.and_then(|properties| properties.get(name)) {
                described = true;
                problems.extend(self.check(property_schema, value, &child_pointer, nesting + 1));
            }
            for (pattern, property_schema) in &pattern_properties {
                if pattern.is_match(name) == Some(true) {
                    described = true;
                    problems.extend(self.check(
                        property_schema,
                        value,
                        &child_pointer,
                        nesting + 1,
                    ));
                }
            }
            if !described {
                match additional {
                    Some(Value::Bool(false)) => {
                        problems.push(Problem::new(
                            &child_pointer,
                            "property not allowed (additionalProperties is false)",
                        ));
                    }
                    Some(additional_schema @ Value::Object(_)) => {
                        problems.extend(self.check(
                            additional_schema,
                            value,
                            &child_pointer,
                            nesting + 1,
                        ));
                    }
                    _ => {}
                }
            }
        }
        problems
    }

    /// `anyOf`/`oneOf`: fine if any branch fits; otherwise the problems of the branch that
    /// came closest, so the report names the real mistake rather than every alternative.
    fn union_problems(
        &self,
        branches: &[Value],
        instance: &Value,
        pointer: &str,
        nesting: usize,
    ) -> Vec<Problem> {
        let mut closest: Option<Vec<Problem>> = None;
        for branch in branches {
            let branch_problems = self.check(branch, instance, pointer, nesting + 1);
            if branch_problems.is_empty() {
                return Vec::new();
            }
            if closest.as_ref().is_none_or(|best| {
                union_rank(&branch_problems, pointer) > union_rank(best, pointer)
            }) {
                closest = Some(branch_problems);
            }
        }
        // Enum-like unions (one titled `const` per branch) read best as the list of values.
        if let Some(constants) = union_constants(branches) {
            return vec![Problem::new(
                pointer,
                format!("{} is not one of {constants}", brief(instance)),
            )];
        }
        closest.unwrap_or_default()
    }
}

/// How close a failed union branch came, larger is closer: the branch whose shallowest
/// problem lies deepest got furthest into the body (its discriminating fields matched);
/// then a branch of the right JSON type beats one of the wrong type (so `{}` for a
/// nullable object reports the missing field, not "expected null"); then fewer problems.
fn union_rank(problems: &[Problem], pointer: &str) -> (usize, bool, std::cmp::Reverse<usize>) {
    let shallowest = problems.iter().map(Problem::depth).min().unwrap_or(0);
    let right_type = !problems
        .iter()
        .any(|problem| problem.type_mismatch && problem.pointer == pointer);
    (shallowest, right_type, std::cmp::Reverse(problems.len()))
}

/// `1 (PONG), 4 (CHANNEL_MESSAGE_WITH_SOURCE), ...` when every branch is just a `const`.
fn union_constants(branches: &[Value]) -> Option<String> {
    let annotations = ["const", "title", "description", "deprecated"];
    let described: Option<Vec<String>> = branches
        .iter()
        .map(|branch| {
            let branch = branch.as_object()?;
            if !branch.keys().all(|key| annotations.contains(&key.as_str())) {
                return None;
            }
            let value = brief(branch.get("const")?);
            Some(match branch.get("title").and_then(Value::as_str) {
                Some(title) => format!("{value} ({title})"),
                None => value,
            })
        })
        .collect();
    described
        .filter(|values| !values.is_empty())
        .map(|values| values.join(", "))
}

/// The type names a `type` keyword allows (none when it is absent or malformed).
fn schema_types(type_keyword: Option<&Value>) -> Vec<&str> {
    match type_keyword {
        Some(Value::String(type_name)) => vec![type_name.as_str()],
        Some(Value::Array(type_names)) => type_names.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Whether `instance` counts as `type_name`, with the spec's integer/string leniency.
fn has_type(instance: &Value, type_name: &str, format: Option<&str>) -> bool {
    match type_name {
        "null" => instance.is_null(),
        "boolean" => instance.is_boolean(),
        "object" => instance.is_object(),
        "array" => instance.is_array(),
        "number" => instance.is_number(),
        "integer" => match instance {
            Value::Number(number) => Numeric::of_number(number).is_some_and(Numeric::is_integral),
            Value::String(text) => parse_integer_string(text).is_some(),
            _ => false,
        },
        "string" => {
            instance.is_string()
                || (format.is_some_and(|format| INTEGER_LIKE_FORMATS.contains(&format))
                    && instance
                        .as_number()
                        .and_then(Numeric::of_number)
                        .is_some_and(Numeric::is_integral))
        }
        // A type name JSON Schema does not define: nothing we can hold the body to.
        _ => true,
    }
}

/// The problem with an integer-like `format`, if any; other formats are not checked.
fn format_problem(format: &str, instance: &Value) -> Option<String> {
    let number = instance.as_number().and_then(Numeric::of_number);
    match (format, instance) {
        ("snowflake", Value::String(text)) => {
            (text.is_empty() || !text.bytes().all(|byte| byte.is_ascii_digit())).then(|| {
                format!(
                    "{} is not a snowflake (a string of digits)",
                    brief(instance)
                )
            })
        }
        ("snowflake", Value::Number(_)) => match number {
            Some(Numeric::Integer(value)) if (0..=i128::from(u64::MAX)).contains(&value) => None,
            _ => Some(format!(
                "{} is not a snowflake (a non-negative integer)",
                brief(instance)
            )),
        },
        ("int64", Value::String(text)) => text
            .parse::<i64>()
            .is_err()
            .then(|| format!("{} is not an int64", brief(instance))),
        ("int64", Value::Number(_)) => match number {
            Some(Numeric::Integer(value)) if i64::try_from(value).is_ok() => None,
            _ => Some(format!("{} is not an int64", brief(instance))),
        },
        _ => None,
    }
}

fn string_problems(
    schema: &serde_json::Map<String, Value>,
    text: &str,
    pointer: &str,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    // JSON Schema lengths count characters (code points), not UTF-8 bytes.
    let chars = text.chars().count() as u64;
    if let Some(max) = schema.get("maxLength").and_then(Value::as_u64) {
        if chars > max {
            problems.push(Problem::new(
                pointer,
                format!("string longer than maxLength {max} ({chars} chars)"),
            ));
        }
    }
    if let Some(min) = schema.get("minLength").and_then(Value::as_u64) {
        if chars < min {
            problems.push(Problem::new(
                pointer,
                format!("string shorter than minLength {min} ({chars} chars)"),
            ));
        }
    }
    if let Some(source) = schema.get("pattern").and_then(Value::as_str) {
        // `None` means the pattern is beyond the mini regex, or the text too long for it.
        if Pattern::parse(source).and_then(|pattern| pattern.is_match(text)) == Some(false) {
            problems.push(Problem::new(
                pointer,
                format!(
                    "{} does not match pattern {source}",
                    brief(&Value::from(text))
                ),
            ));
        }
    }
    problems
}

fn number_problems(
    schema: &serde_json::Map<String, Value>,
    number: Numeric,
    pointer: &str,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    let bound = |keyword: &str| {
        schema
            .get(keyword)
            .and_then(Value::as_number)
            .and_then(Numeric::of_number)
    };
    // OpenAPI 3.0 wrote exclusiveness as a boolean beside minimum/maximum; 3.1 as a number.
    let exclusive_flag = |keyword: &str| schema.get(keyword) == Some(&Value::Bool(true));

    if let Some(minimum) = bound("minimum") {
        let exclusive = exclusive_flag("exclusiveMinimum");
        match number.compare(minimum) {
            Some(Ordering::Less) => problems.push(Problem::new(
                pointer,
                format!("{number} is less than minimum {minimum}"),
            )),
            Some(Ordering::Equal) if exclusive => {
                problems.push(Problem::new(
                    pointer,
                    format!("{number} is not greater than exclusive minimum {minimum}"),
                ));
            }
            _ => {}
        }
    }
    if let Some(maximum) = bound("maximum") {
        let exclusive = exclusive_flag("exclusiveMaximum");
        match number.compare(maximum) {
            Some(Ordering::Greater) => problems.push(Problem::new(
                pointer,
                format!("{number} is greater than maximum {maximum}"),
            )),
            Some(Ordering::Equal) if exclusive => {
                problems.push(Problem::new(
                    pointer,
                    format!("{number} is not less than exclusive maximum {maximum}"),
                ));
            }
            _ => {}
        }
    }
    if let Some(limit) = bound("exclusiveMinimum") {
        if number.compare(limit) != Some(Ordering::Greater) {
            problems.push(Problem::new(
                pointer,
                format!("{number} is not greater than exclusiveMinimum {limit}"),
            ));
        }
    }
    if let Some(limit) = bound("exclusiveMaximum") {
        if number.compare(limit) != Some(Ordering::Less) {
            problems.push(Problem::new(
                pointer,
                format!("{number} is not less than exclusiveMaximum {limit}"),
            ));
        }
    }
    problems
}

/// A JSON number kept exact where it is an integer: Discord's bounds (such as
/// 18014398509481983 for permissions) are beyond what an `f64` holds exactly.
#[derive(Clone, Copy, Debug)]
enum Numeric {
    Integer(i128),
    Float(f64),
}

impl Numeric {
    fn of_number(number: &serde_json::Number) -> Option<Numeric> {
        if let Some(value) = number.as_i64() {
            return Some(Numeric::Integer(i128::from(value)));
        }
        if let Some(value) = number.as_u64() {
            return Some(Numeric::Integer(i128::from(value)));
        }
        number.as_f64().map(Numeric::Float)
    }

    /// The number a body value stands for: a JSON number, or an int-parseable string where
    /// the schema allows an integer.
    fn of_instance(instance: &Value, allows_integer: bool) -> Option<Numeric> {
        match instance {
            Value::Number(number) => Numeric::of_number(number),
            Value::String(text) if allows_integer => {
                parse_integer_string(text).map(Numeric::Integer)
            }
            _ => None,
        }
    }

    /// JSON Schema counts 4.0 as an integer.
    fn is_integral(self) -> bool {
        match self {
            Numeric::Integer(_) => true,
            Numeric::Float(value) => value.is_finite() && value.fract() == 0.0,
        }
    }

    fn as_f64(self) -> f64 {
        match self {
            // Precision loss only matters beyond 2^53, where both sides are integers anyway.
            #[allow(clippy::cast_precision_loss)]
            Numeric::Integer(value) => value as f64,
            Numeric::Float(value) => value,
        }
    }

    fn compare(self, other: Numeric) -> Option<Ordering> {
        match (self, other) {
            (Numeric::Integer(left), Numeric::Integer(right)) => Some(left.cmp(&right)),
            _ => self.as_f64().partial_cmp(&other.as_f64()),
        }
    }
}

impl std::fmt::Display for Numeric {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Numeric::Integer(value) => write!(formatter, "{value}"),
            Numeric::Float(value) => write!(formatter, "{value}"),
        }
    }
}

/// An optional minus sign and ASCII digits, as Discord parses integer-typed strings.
fn parse_integer_string(text: &str) -> Option<i128> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// JSON equality with numbers compared by value (so 4 equals 4.0).
fn json_equal(left: &Value, right: &Value) -> bool {
    match (left, right) {
        (Value::Number(left), Value::Number(right)) => {
            match (Numeric::of_number(left), Numeric::of_number(right)) {
                (Some(left), Some(right)) => left.compare(right) == Some(Ordering::Equal),
                _ => false,
            }
        }
        (Value::Array(left), Value::Array(right)) => {
            left.len() == right.len()
                && left
                    .iter()
                    .zip(right)
                    .all(|(left, right)| json_equal(left, right))
        }
        (Value::Object(left), Value::Object(right)) => {
            left.len() == right.len()
                && left.iter().all(|(key, value)| {
                    right.get(key).is_some_and(|other| json_equal(value, other))
                })
        }
        _ => left == right,
    }
}

/// [`json_equal`], plus an int-parseable string equals the integer it spells: the spec's
/// integer leniency must reach `const`/`enum` too, or `{"type": "4"}` would pass the type
/// check only to fail the constant.
fn loosely_equal(expected: &Value, actual: &Value) -> bool {
    if json_equal(expected, actual) {
        return true;
    }
    match (expected, actual) {
        (Value::Number(expected), Value::String(text)) => {
            match (Numeric::of_number(expected), parse_integer_string(text)) {
                (Some(Numeric::Integer(expected)), Some(actual)) => expected == actual,
                _ => false,
            }
        }
        _ => false,
    }
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

/// "string \"banana\"", "object", "array of 3 items": what a value is, for type mismatches.
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(_) => format!("boolean {value}"),
        Value::Number(_) => format!("number {value}"),
        Value::String(_) => format!("string {}", brief(value)),
        Value::Array(items) => format!("array of {} items", items.len()),
        Value::Object(_) => "object".to_owned(),
    }
}

fn list_values(values: &[Value]) -> String {
    let listed: Vec<String> = values.iter().map(brief).collect();
    format!("[{}]", listed.join(", "))
}

/// A `pattern`, compiled for the ECMA-262 subset the spec uses: anchors, `.`, classes
/// (`[a-f0-9]`, `\d`, `\w`, `\s` and negations), groups (`(...)`, `(?:...)`),
/// alternation and the quantifiers `* + ? {n} {n,} {n,m}` (lazy forms too: greediness
/// does not change whether a match exists). Lookaround, backreferences and `\b` are
/// refused at parse time, and such patterns are not checked.
struct Pattern {
    alternation: Alternation,
}

/// `a|b|c`: the sequences tried in turn.
struct Alternation(Vec<Sequence>);

/// Pieces matched one after another.
struct Sequence(Vec<Piece>);

/// An atom with its repetition bounds.
struct Piece {
    atom: Atom,
    min: u32,
    /// `None` for unbounded.
    max: Option<u32>,
}

enum Atom {
    Literal(char),
    /// `.`: anything but a line terminator.
    AnyChar,
    Class(CharClass),
    /// `^`
    Start,
    /// `$`
    End,
    Group(Alternation),
}

struct CharClass {
    negated: bool,
    ranges: Vec<(char, char)>,
}

impl CharClass {
    fn contains(&self, character: char) -> bool {
        self.ranges
            .iter()
            .any(|&(low, high)| (low..=high).contains(&character))
            != self.negated
    }
}

const DIGIT_RANGES: &[(char, char)] = &[('0', '9')];
const WORD_RANGES: &[(char, char)] = &[('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')];
const SPACE_RANGES: &[(char, char)] = &[
    ('\t', '\r'),
    (' ', ' '),
    ('\u{a0}', '\u{a0}'),
    ('\u{1680}', '\u{1680}'),
    ('\u{2000}', '\u{200a}'),
    ('\u{2028}', '\u{2029}'),
    ('\u{202f}', '\u{202f}'),
    ('\u{205f}', '\u{205f}'),
    ('\u{3000}', '\u{3000}'),
    ('\u{feff}', '\u{feff}'),
];

/// Longest text a pattern is run on: matching recurses per character, and the spec only
/// puts patterns on short strings (snowflakes, colours).
const MAX_PATTERN_TEXT_CHARS: usize = 1024;

/// Backtracking steps allowed per match, so a pathological pattern cannot hang a test.
const MAX_PATTERN_STEPS: usize = 1_000_000;

impl Pattern {
    /// Compiles `source`; `None` when it uses syntax outside the supported subset.
    fn parse(source: &str) -> Option<Pattern> {
        let mut parser = PatternParser {
            chars: source.chars().collect(),
            position: 0,
        };
        let alternation = parser.alternation()?;
        // A stray `)` stops the top-level alternation early.
        (parser.position == parser.chars.len()).then_some(Pattern { alternation })
    }

    /// Whether the pattern occurs anywhere in `text` (JSON Schema patterns are not
    /// implicitly anchored); `None` when the text is too long or matching gave up.
    fn is_match(&self, text: &str) -> Option<bool> {
        let chars: Vec<char> = text.chars().collect();
        if chars.len() > MAX_PATTERN_TEXT_CHARS {
            return None;
        }
        let matcher = Matcher {
            text: &chars,
            steps_left: Cell::new(MAX_PATTERN_STEPS),
        };
        for start in 0..=chars.len() {
            if matcher.alternation(&self.alternation, start, &mut |_| true) {
                return Some(true);
            }
            if matcher.steps_left.get() == 0 {
                return None;
            }
        }
        Some(false)
    }
}

struct PatternParser {
    chars: Vec<char>,
    position: usize,
}

impl PatternParser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.position).copied()
    }

    fn next(&mut self) -> Option<char> {
        let character = self.peek()?;
        self.position += 1;
        Some(character)
    }

    fn eat(&mut self, expected: char) -> bool {
        let found = self.peek() == Some(expected);
        if found {
            self.position += 1;
        }
        found
    }

    fn alternation(&mut self) -> Option<Alternation> {
        let mut sequences = vec![self.sequence()?];
        while self.eat('|') {
            sequences.push(self.sequence()?);
        }
        Some(Alternation(sequences))
    }

    fn sequence(&mut self) -> Option<Sequence> {
        let mut pieces = Vec::new();
        while let Some(character) = self.peek() {
            if character == '|' || character == ')' {
                break;
            }
            pieces.push(self.piece()?);
        }
        Some(Sequence(pieces))
    }

    fn piece(&mut self) -> Option<Piece> {
        let atom = self.atom()?;
        let (min, max) = match self.peek() {
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('?') => (0, Some(1)),
            Some('{') => {
                self.position += 1;
                let bounds = self.braced_bounds()?;
                // Step back so the shared `position += 1` below consumes the `}`.
                self.position -= 1;
                bounds
            }
            _ => {
                return Some(Piece {
                    atom,
                    min: 1,
                    max: Some(1),
                })
            }
        };
        self.position += 1;
        // A lazy quantifier matches the same set of strings as a greedy one.
        self.eat('?');
        if matches!(atom, Atom::Start | Atom::End) {
            return None;
        }
        Some(Piece { atom, min, max })
    }

    /// `n}`, `n,}` or `n,m}` after a `{`; leaves the position just past the `}`.
    fn braced_bounds(&mut self) -> Option<(u32, Option<u32>)> {
        let min = self.number()?;
        let max = if self.eat(',') {
            if self.peek() == Some('}') {
                None
            } else {
                Some(self.number()?)
            }
        } else {
            Some(min)
        };
        if !self.eat('}') || max.is_some_and(|max| max < min) {
            return None;
        }
        Some((min, max))
    }

    fn number(&mut self) -> Option<u32> {
        let start = self.position;
        while self
            .peek()
            .is_some_and(|character| character.is_ascii_digit())
        {
            self.position += 1;
        }
        self.chars[start..self.position]
            .iter()
            .collect::<String>()
            .parse()
            .ok()
    }

    fn atom(&mut self) -> Option<Atom> {
        match self.next()? {
            '^' => Some(Atom::Start),
            '$' => Some(Atom::End),
            '.' => Some(Atom::AnyChar),
            '(' => {
                if self.eat('?') && !self.eat(':') {
                    // Lookaround and named groups are outside the subset.
                    return None;
                }
                let inner = self.alternation()?;
                self.eat(')').then_some(Atom::Group(inner))
            }
            '[' => self.class().map(Atom::Class),
            '\\' => match self.next()? {
                'd' => Some(Atom::Class(CharClass {
                    negated: false,
                    ranges: DIGIT_RANGES.to_vec(),
                })),
                'D' => Some(Atom::Class(CharClass {
                    negated: true,
                    ranges: DIGIT_RANGES.to_vec(),
                })),
                'w' => Some(Atom::Class(CharClass {
                    negated: false,
                    ranges: WORD_RANGES.to_vec(),
                })),
                'W' => Some(Atom::Class(CharClass {
                    negated: true,
                    ranges: WORD_RANGES.to_vec(),
                })),
                's' => Some(Atom::Class(CharClass {
                    negated: false,
                    ranges: SPACE_RANGES.to_vec(),
                })),
                'S' => Some(Atom::Class(CharClass {
                    negated: true,
                    ranges: SPACE_RANGES.to_vec(),
                })),
                other => self.escaped_char(other).map(Atom::Literal),
            },
            '*' | '+' | '?' | '{' | ')' | '|' => None,
            literal => Some(Atom::Literal(literal)),
        }
    }

    /// The character a `\x` escape stands for (other than the class shorthands).
    fn escaped_char(&mut self, escape: char) -> Option<char> {
        match escape {
            'n' => Some('\n'),
            'r' => Some('\r'),
            't' => Some('\t'),
            'f' => Some('\u{c}'),
            'v' => Some('\u{b}'),
            '0' if !self.peek().is_some_and(|next| next.is_ascii_digit()) => Some('\0'),
            'x' => self.hex_char(2),
            'u' => self.hex_char(4),
            // Backreferences, word boundaries and other letter escapes are not supported.
            other if other.is_ascii_alphanumeric() => None,
            other => Some(other),
        }
    }

    fn hex_char(&mut self, digits: usize) -> Option<char> {
        let hex: String = self
            .chars
            .get(self.position..self.position + digits)?
            .iter()
            .collect();
        self.position += digits;
        char::from_u32(u32::from_str_radix(&hex, 16).ok()?)
    }

    /// A `[...]` class, after its `[`.
    fn class(&mut self) -> Option<CharClass> {
        let negated = self.eat('^');
        let mut ranges = Vec::new();
        loop {
            let low = match self.next()? {
                ']' => break,
                '\\' => match self.next()? {
                    shorthand @ ('d' | 'w' | 's') => {
                        ranges.extend_from_slice(match shorthand {
                            'd' => DIGIT_RANGES,
                            'w' => WORD_RANGES,
                            _ => SPACE_RANGES,
                        });
                        continue;
                    }
                    'b' => '\u{8}',
                    other => self.escaped_char(other)?,
                },
                literal => literal,
            };
            let is_range = self.peek() == Some('-')
                && self
                    .chars
                    .get(self.position + 1)
                    .is_some_and(|&next| next != ']');
            if !is_range {
                ranges.push((low, low));
                continue;
            }
            self.position += 1;
            let high = match self.next()? {
                '\\' => {
                    let escape = self.next()?;
                    self.escaped_char(escape)?
                }
                literal => literal,
            };
            if high < low {
                return None;
            }
            ranges.push((low, high));
        }
        Some(CharClass { negated, ranges })
    }
}

/// Backtracking matcher: each function takes a continuation `then` to call with the
/// position after its own match, and succeeds if some way of matching makes `then` succeed.
struct Matcher<'text> {
    text: &'text [char],
    /// A `Cell` so the continuations, which borrow the matcher, can still spend steps.
    steps_left: Cell<usize>,
}

impl Matcher<'_> {
    fn alternation(
        &self,
        alternation: &Alternation,
        position: usize,
        then: &mut dyn FnMut(usize) -> bool,
    ) -> bool {
        for sequence in &alternation.0 {
            if self.sequence(&sequence.0, position, then) {
                return true;
            }
        }
        false
    }

    fn sequence(
        &self,
        pieces: &[Piece],
        position: usize,
        then: &mut dyn FnMut(usize) -> bool,
    ) -> bool {
        let Some((first, rest)) = pieces.split_first() else {
            return then(position);
        };
        self.piece(first, 0, position, &mut |after| {
            self.sequence(rest, after, then)
        })
    }

    fn piece(
        &self,
        piece: &Piece,
        repeated: u32,
        position: usize,
        then: &mut dyn FnMut(usize) -> bool,
    ) -> bool {
        let Some(steps_left) = self.steps_left.get().checked_sub(1) else {
            return false;
        };
        self.steps_left.set(steps_left);
        // Greedy: try one more repetition first, then stopping here.
        if piece.max.is_none_or(|max| repeated < max) {
            let matched_more = self.atom(&piece.atom, position, &mut |after| {
                // An empty repetition past the minimum cannot lead anywhere new.
                if after == position && repeated >= piece.min {
                    return false;
                }
                self.piece(piece, repeated + 1, after, then)
            });
            if matched_more {
                return true;
            }
        }
        repeated >= piece.min && then(position)
    }

    fn atom(&self, atom: &Atom, position: usize, then: &mut dyn FnMut(usize) -> bool) -> bool {
        let current = self.text.get(position).copied();
        match atom {
            Atom::Literal(expected) => current == Some(*expected) && then(position + 1),
            Atom::AnyChar => {
                current.is_some_and(|character| {
                    !matches!(character, '\n' | '\r' | '\u{2028}' | '\u{2029}')
                }) && then(position + 1)
            }
            Atom::Class(class) => {
                current.is_some_and(|character| class.contains(character)) && then(position + 1)
            }
            Atom::Start => position == 0 && then(position),
            Atom::End => position == self.text.len() && then(position),
            Atom::Group(inner) => self.alternation(inner, position, then),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Tests: bodies against Discord's vendored spec, then keyword tests against small
// hand-written documents.
// ---------------------------------------------------------------------------------------

/// An interaction-callback path as serenity requests it (tokens contain `-` and `_`).
const CALLBACK_PATH: &str = "/api/v10/interactions/123/tok-en_x/callback";

#[test]
fn the_vendored_spec_loads() {
    if let Some(reason) = &Spec::load().load_problem {
        panic!("{reason}");
    }
}

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
fn interaction_reply_with_allowed_mentions_and_flags_is_accepted() {
    let spec = Spec::load();
    let body = serde_json::json!({
        "type": 4,
        "data": {"content": "hi", "allowed_mentions": {"parse": []}, "flags": 64}
    });
    assert_accepts(spec, "POST", CALLBACK_PATH, &body);
}

#[test]
fn embed_title_over_256_chars_is_rejected_at_its_pointer() {
    let spec = Spec::load();
    let body = serde_json::json!({
        "type": 4,
        "data": {
            "content": "Here is what the story says:",
            "embeds": [{"title": "t".repeat(300), "description": "A quote.", "color": 5_793_266}],
            "allowed_mentions": {"parse": []}
        }
    });
    let problems = rejection(spec, "POST", CALLBACK_PATH, &body);
    // The closest union branch (a message callback) names the one real mistake.
    assert_eq!(
        problems,
        ["/data/embeds/0/title: string longer than maxLength 256 (300 chars)"]
    );
}

#[test]
fn non_integer_callback_type_is_rejected() {
    let spec = Spec::load();
    let problems = rejection(
        spec,
        "POST",
        CALLBACK_PATH,
        &serde_json::json!({"type": "banana"}),
    );
    assert_any_starts_with(&problems, "/type: expected integer, got string \"banana\"");
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
    let spec = Spec::load();
    let body = serde_json::json!({"type": 8, "data": {"choices": [{"name": "a", "value": "a"}]}});
    assert_accepts(spec, "POST", CALLBACK_PATH, &body);
}

#[test]
fn autocomplete_choice_over_100_chars_is_rejected() {
    let spec = Spec::load();
    let body = serde_json::json!({"type": 8, "data": {"choices": [{"name": "n".repeat(101), "value": "a"}]}});
    let problems = rejection(spec, "POST", CALLBACK_PATH, &body);
    assert_any_starts_with(
        &problems,
        "/data/choices/0/name: string longer than maxLength 100",
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
    let spec = Spec::load();
    let body = Value::Array(vec![serenity_command(&"a".repeat(40))]);
    let problems = rejection(
        spec,
        "PUT",
        "/api/v10/applications/1/guilds/2/commands",
        &body,
    );
    assert_eq!(
        problems,
        ["/0/name: string longer than maxLength 32 (40 chars)"]
    );
}

#[test]
fn command_option_of_unknown_type_is_rejected() {
    let spec = Spec::load();
    let mut command = serenity_command("factdesk");
    command["options"][0]["type"] = Value::from(99);
    let problems = rejection(
        spec,
        "PUT",
        "/api/v10/applications/1/commands",
        &Value::Array(vec![command]),
    );
    assert_any_starts_with(&problems, "/0/options/0/type: ");
}

#[test]
fn channel_message_reply_is_accepted() {
    let spec = Spec::load();
    let body = serde_json::json!({
        "content": "x",
        "message_reference": {"message_id": "1"},
        "allowed_mentions": {"parse": []}
    });
    assert_accepts(spec, "POST", "/api/v10/channels/5/messages", &body);
}

#[test]
fn link_button_with_style_5_and_url_is_accepted() {
    let spec = Spec::load();
    let row = serde_json::json!([{
        "type": 1,
        "components": [{"type": 2, "style": 5, "label": "Read the article", "url": "https://example.com/story"}]
    }]);
    let message = serde_json::json!({"content": "Source:", "components": row, "allowed_mentions": {"parse": []}});
    assert_accepts(spec, "POST", "/api/v10/channels/5/messages", &message);
    let callback = serde_json::json!({"type": 4, "data": message});
    assert_accepts(spec, "POST", CALLBACK_PATH, &callback);
}

#[test]
fn unknown_button_style_lists_the_allowed_styles() {
    let spec = Spec::load();
    let body = serde_json::json!({
        "content": "Source:",
        "components": [{"type": 1, "components": [{"type": 2, "style": 9, "label": "x", "url": "https://example.com"}]}]
    });
    let problems = rejection(spec, "POST", "/api/v10/channels/5/messages", &body);
    assert_any_starts_with(
        &problems,
        "/components/0/components/0/style: 9 is not one of 1 (PRIMARY)",
    );
}

#[test]
fn original_response_edit_uses_the_literal_original_template() {
    let spec = Spec::load();
    let path = "/api/v10/webhooks/1/tok-en/messages/@original";
    let route = spec
        .find_route(strip_api_prefix(path))
        .map(|route| route.template.as_str());
    assert_eq!(
        route,
        Some("/webhooks/{webhook_id}/{webhook_token}/messages/@original")
    );
    let encoded = spec
        .find_route("/webhooks/1/tok/messages/%40original")
        .map(|route| route.template.as_str());
    assert_eq!(encoded, route);
    let other = spec
        .find_route("/webhooks/1/tok/messages/77")
        .map(|route| route.template.as_str());
    assert_eq!(
        other,
        Some("/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}")
    );

    let edit = serde_json::json!({"content": "Updated answer", "embeds": [], "allowed_mentions": {"parse": []}});
    assert_accepts(spec, "PATCH", path, &edit);
    let follow_up =
        serde_json::json!({"content": "More", "flags": 64, "allowed_mentions": {"parse": []}});
    assert_accepts(spec, "POST", "/api/v10/webhooks/1/tok-en", &follow_up);
}

#[test]
fn message_content_is_held_to_the_bot_limit_in_chars() {
    let spec = Spec::load();
    let channel = "/api/v10/channels/5/messages";
    // 2000 two-byte characters: within the limit, which counts characters, not bytes.
    assert_accepts(
        spec,
        "POST",
        channel,
        &serde_json::json!({"content": "é".repeat(2000)}),
    );
    let too_long = serde_json::json!({"content": "x".repeat(2001)});
    assert_eq!(
        rejection(spec, "POST", channel, &too_long),
        ["/content: string longer than maxLength 2000 (2001 chars)"]
    );
    assert_eq!(
        rejection(spec, "PATCH", "/api/v10/channels/5/messages/6", &too_long),
        ["/content: string longer than maxLength 2000 (2001 chars)"]
    );
    let callback = serde_json::json!({"type": 4, "data": {"content": "x".repeat(2001)}});
    assert_any_starts_with(
        &rejection(spec, "POST", CALLBACK_PATH, &callback),
        "/data/content: string longer than maxLength 2000",
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
    command["default_member_permissions"] = Value::from("18014398509481984");
    let problems = rejection(
        spec,
        "PUT",
        "/api/v10/applications/1/commands",
        &Value::Array(vec![command]),
    );
    assert_any_starts_with(
        &problems,
        "/0/default_member_permissions: 18014398509481984 is greater than maximum",
    );

    assert_accepts(
        spec,
        "POST",
        CALLBACK_PATH,
        &serde_json::json!({"type": "5"}),
    );
    let channel = "/api/v10/channels/5/messages";
    assert_accepts(
        spec,
        "POST",
        channel,
        &serde_json::json!({"content": "x", "message_reference": {"message_id": 1}}),
    );
    let problems = rejection(
        spec,
        "POST",
        channel,
        &serde_json::json!({"content": "x", "message_reference": {"message_id": "abc"}}),
    );
    assert_any_starts_with(&problems, "/message_reference/message_id: ");
    let problems = rejection(
        spec,
        "POST",
        channel,
        &serde_json::json!({"content": "x", "message_reference": {}}),
    );
    assert_any_starts_with(
        &problems,
        "/message_reference: missing required property \"message_id\"",
    );
}

#[test]
fn unmatched_routes_and_non_json_bodies_are_reported() {
    let spec = Spec::load();
    let empty = serde_json::json!({});
    assert_any_starts_with(
        &rejection(spec, "POST", "/api/v10/nowhere/1", &empty),
        "POST /api/v10/nowhere/1: no path in the spec matches /nowhere/1",
    );
    assert_any_starts_with(
        &rejection(spec, "DELETE", CALLBACK_PATH, &empty),
        "DELETE /api/v10/interactions/123/tok-en_x/callback (/interactions/{interaction_id}/{interaction_token}/callback): the spec defines no DELETE here",
    );
    let stickers = rejection(spec, "POST", "/api/v10/guilds/1/stickers", &empty);
    assert!(stickers[0].contains("no JSON schema"), "{stickers:?}");
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
            "(root): missing required property \"name\"".to_owned(),
            "/nome: property not allowed (additionalProperties is false)".to_owned(),
        ])
    );
    assert_eq!(
        mini_check(
            &spec,
            serde_json::json!({"name": "", "x-a": "no", "x-b": 1})
        ),
        Err(vec![
            "(root): object has more than maxProperties 2 (3 properties)".to_owned(),
            "/name: string shorter than minLength 1 (0 chars)".to_owned(),
            "/x-a: expected integer, got string \"no\"".to_owned(),
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
    let problems = mini_check(
        &spec,
        serde_json::json!({"ids": ["01", "1", "1"], "ratio": 0, "both": 9}),
    );
    assert_eq!(
        problems,
        Err(vec![
            "/both: 9 is less than minimum 10".to_owned(),
            "/ids: items 1 and 2 are equal but uniqueItems is set".to_owned(),
            "/ids/0: \"01\" does not match pattern ^(0|[1-9][0-9]*)$".to_owned(),
            "/ratio: 0 is not greater than exclusiveMinimum 0".to_owned(),
        ])
    );
    assert_eq!(
        mini_check(&spec, serde_json::json!({"ids": [], "both": "9"})),
        Err(vec![
            "/both: 9 is less than minimum 10".to_owned(),
            "/ids: array shorter than minItems 1 (0 items)".to_owned(),
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
    assert_eq!(
        mini_check(&spec, serde_json::json!({"kind": 2, "n": "7"})),
        Ok(())
    );
    assert_eq!(
        mini_check(&spec, serde_json::json!({"kind": 1, "text": "long"})),
        Err(vec![
            "/text: string longer than maxLength 3 (4 chars)".to_owned()
        ])
    );
}

#[test]
fn a_missing_or_unreadable_spec_fails_every_validation_with_the_reason() {
    let spec = Spec::unusable("the OpenAPI spec x is not valid JSON: eof".to_owned());
    assert_eq!(
        spec.validate(
            "POST",
            "/api/v10/channels/1/messages",
            &serde_json::json!({})
        ),
        Err(vec!["the OpenAPI spec x is not valid JSON: eof".to_owned()])
    );
    let missing = Spec::load_from(Path::new("/nonexistent/openapi.json"));
    let problems = missing
        .validate(
            "POST",
            "/api/v10/channels/1/messages",
            &serde_json::json!({}),
        )
        .err()
        .unwrap_or_default();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("cannot read Discord's OpenAPI spec /nonexistent/openapi.json: "),
        "{problems:?}"
    );
}

#[test]
fn patterns_cover_the_specs_regex_subset() {
    let matches = |source: &str, text: &str| {
        Pattern::parse(source).and_then(|pattern| pattern.is_match(text))
    };
    let snowflake = "^(0|[1-9][0-9]*)$";
    assert_eq!(matches(snowflake, "0"), Some(true));
    assert_eq!(matches(snowflake, "1234567890123456789"), Some(true));
    assert_eq!(matches(snowflake, "012"), Some(false));
    assert_eq!(matches(snowflake, ""), Some(false));
    assert_eq!(matches(snowflake, "12a"), Some(false));
    let colour = "^#(([0-9a-fA-F]{2}){3}|([0-9a-fA-F]){3})$";
    assert_eq!(matches(colour, "#a0B1c2"), Some(true));
    assert_eq!(matches(colour, "#fff"), Some(true));
    assert_eq!(matches(colour, "#ffff"), Some(false));
    assert_eq!(matches(colour, "fff"), Some(false));
    // Unanchored patterns match anywhere, as in JSON Schema.
    assert_eq!(matches(r"\d+", "abc123"), Some(true));
    assert_eq!(matches(r"a.c", "a\nc"), Some(false));
    assert_eq!(matches(r"^[^\s]{2,}?x$", "abx"), Some(true));
    assert_eq!(matches(r"^(?:ab)*$", "ababab"), Some(true));
    // Catastrophic backtracking gives up (unchecked) instead of hanging the test.
    assert_eq!(matches(r"^(a*)*b$", &"a".repeat(30)), None);
    // Outside the subset: not checked rather than guessed.
    assert!(Pattern::parse(r"(?=a)b").is_none());
    assert!(Pattern::parse(r"(a)\1").is_none());
    assert!(Pattern::parse(r"a{2,1}").is_none());
    assert!(Pattern::parse(r"a)").is_none());
}
