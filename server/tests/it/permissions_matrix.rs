//! Who may see what, for every route: the table below gives the expected answer for each
//! route × role × own or other organisation × visibility. It is written out by hand from the
//! rules, not computed from the code it checks. A route the table does not list fails the test.

use crate::common::{content_tree, repo_root, TestServer, PASSWORD};

/// Documents each kind gets, all owned by NHS Fife.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Doc {
    Public,
    Network,
    Organisation,
    /// Never approved; visibility public.
    Draft,
    /// Revision 1 organisation-only and approved, then revision 2 public and approved: the
    /// document is public, its first revision is not.
    Widened,
    /// Revision 1 public and approved, then revision 2 organisation-only and approved.
    Narrowed,
    /// Revision 1 public and approved, then archived, then revision 2 saved as a draft: still
    /// archived, since no publisher approved anything since.
    Archived,
}

impl Doc {
    const ALL: [Doc; 7] = [
        Doc::Public,
        Doc::Network,
        Doc::Organisation,
        Doc::Draft,
        Doc::Widened,
        Doc::Narrowed,
        Doc::Archived,
    ];

    fn slug(self) -> &'static str {
        match self {
            Doc::Public => "m-public",
            Doc::Network => "m-network",
            Doc::Organisation => "m-organisation",
            Doc::Draft => "m-draft",
            Doc::Widened => "m-widened",
            Doc::Narrowed => "m-narrowed",
            Doc::Archived => "m-archived",
        }
    }

    /// Each import of the fixture, in order: (visibility, status, body) of the file, or `None`
    /// when this import leaves the document alone.
    fn history(self) -> [Option<(&'static str, &'static str, &'static str)>; 3] {
        const BODY: &str = "Matrix body.";
        match self {
            Doc::Public => [Some(("public", "published", BODY)), None, None],
            Doc::Network => [Some(("network", "published", BODY)), None, None],
            Doc::Organisation => [Some(("organisation", "published", BODY)), None, None],
            Doc::Draft => [Some(("public", "draft", BODY)), None, None],
            Doc::Widened => [
                Some(("organisation", "published", "Internal first version.")),
                Some(("public", "published", BODY)),
                None,
            ],
            Doc::Narrowed => [
                Some(("public", "published", BODY)),
                Some(("organisation", "published", "Internal second version.")),
                None,
            ],
            Doc::Archived => [
                Some(("public", "published", BODY)),
                Some(("public", "archived", BODY)),
                Some(("public", "draft", "A new draft of an archived document.")),
            ],
        }
    }
}

/// Events, each run by NHS Fife or with it taking part, repeating weekly so that each has an
/// occurrence in the upcoming and the past tab whenever the test runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ev {
    Public,
    Network,
    Organisation,
    /// Run by NHS England, organisation-only, with NHS Fife taking part.
    TakingPart,
}

impl Ev {
    const ALL: [Ev; 4] = [Ev::Public, Ev::Network, Ev::Organisation, Ev::TakingPart];

    fn slug(self) -> &'static str {
        match self {
            Ev::Public => "e-public",
            Ev::Network => "e-network",
            Ev::Organisation => "e-organisation",
            Ev::TakingPart => "e-taking-part",
        }
    }

    /// Its file in the fixture.
    fn file(self) -> (String, String) {
        let (org, taking_part, visibility) = match self {
            Ev::Public => ("nhs-fife", "", "public"),
            Ev::Network => ("nhs-fife", "", "network"),
            Ev::Organisation => ("nhs-fife", "", "organisation"),
            Ev::TakingPart => ("nhs-england", "taking_part: [nhs-fife]\n", "organisation"),
        };
        let slug = self.slug();
        (
            format!("events/{slug}.md"),
            format!(
                "---\ntitle: Matrix event {slug}\nkind: other\norganisation: {org}\n{taking_part}start: 2026-01-05T10:00\nend: 2026-01-05T11:00\nrepeat: FREQ=WEEKLY\nvisibility: {visibility}\n---\nFor the permission matrix.\n"
            ),
        )
    }
}

/// What a cell expects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cell {
    /// This HTTP status.
    S(u16),
    /// Status 200, and the document is (true) or is not (false) in the list.
    L(bool),
}
use Cell::{L, S};

/// The viewers, in column order.
const VIEWERS: [&str; 8] = [
    "anonymous",
    "reader, own organisation",
    "editor, own organisation",
    "publisher, own organisation",
    "reader, other organisation",
    "editor, other organisation",
    "publisher, other organisation",
    "admin",
];

// Named rows, for the documents added with a history; each is still written out by hand.
/// Everyone.
const EVERYONE: [Cell; 8] = [S(200); 8];
/// Everyone in the document's organisation, and admins.
const OWN_ORGANISATION: [Cell; 8] = [
    S(404),
    S(200),
    S(200),
    S(200),
    S(404),
    S(404),
    S(404),
    S(200),
];
/// The organisation's editors and publishers, and admins.
const STAFF: [Cell; 8] = [
    S(404),
    S(404),
    S(200),
    S(200),
    S(404),
    S(404),
    S(404),
    S(200),
];

// Rows shared by every route that shows one document.
const PAGE: DocRows = &[
    (
        Doc::Public,
        [
            S(200),
            S(200),
            S(200),
            S(200),
            S(200),
            S(200),
            S(200),
            S(200),
        ],
    ),
    (
        Doc::Network,
        [
            S(404),
            S(200),
            S(200),
            S(200),
            S(200),
            S(200),
            S(200),
            S(200),
        ],
    ),
    (
        Doc::Organisation,
        [
            S(404),
            S(200),
            S(200),
            S(200),
            S(404),
            S(404),
            S(404),
            S(200),
        ],
    ),
    (
        Doc::Draft,
        [
            S(404),
            S(404),
            S(200),
            S(200),
            S(404),
            S(404),
            S(404),
            S(200),
        ],
    ),
    (Doc::Widened, EVERYONE),
    (Doc::Narrowed, OWN_ORGANISATION),
    // Archived, and a draft saved since: still for the organisation's staff only.
    (Doc::Archived, STAFF),
];
/// Revision 1 (`/history/1`, `/diff?from=1&to=1`): as the page, except that a revision is read
/// only by those who could read it when it was current and can read the document now.
const REVISION_1: DocRows = &[
    (Doc::Public, EVERYONE),
    (
        Doc::Network,
        [
            S(404),
            S(200),
            S(200),
            S(200),
            S(200),
            S(200),
            S(200),
            S(200),
        ],
    ),
    (Doc::Organisation, OWN_ORGANISATION),
    (Doc::Draft, STAFF),
    // Public now, but its first revision was organisation-only.
    (Doc::Widened, OWN_ORGANISATION),
    // Public then, but the document is organisation-only now.
    (Doc::Narrowed, OWN_ORGANISATION),
    (Doc::Archived, STAFF),
];
/// Revision 2 (`/history/2`).
const REVISION_2: DocRows = &[
    (Doc::Widened, EVERYONE),
    (Doc::Narrowed, OWN_ORGANISATION),
    // The draft saved after archiving.
    (Doc::Archived, STAFF),
];
/// Revisions 1 and 2 compared: both must be readable.
const COMPARE_1_2: DocRows = &[
    (Doc::Widened, OWN_ORGANISATION),
    (Doc::Narrowed, OWN_ORGANISATION),
    (Doc::Archived, STAFF),
];
/// Revision 2 compared with itself.
const COMPARE_2_2: DocRows = &[(Doc::Widened, EVERYONE), (Doc::Narrowed, OWN_ORGANISATION)];
const EDIT: DocRows = &[
    (
        Doc::Public,
        [
            S(401),
            S(403),
            S(200),
            S(200),
            S(403),
            S(403),
            S(403),
            S(200),
        ],
    ),
    (
        Doc::Network,
        [
            S(401),
            S(403),
            S(200),
            S(200),
            S(403),
            S(403),
            S(403),
            S(200),
        ],
    ),
    (
        Doc::Organisation,
        [
            S(401),
            S(403),
            S(200),
            S(200),
            S(404),
            S(404),
            S(404),
            S(200),
        ],
    ),
    (
        Doc::Draft,
        [
            S(401),
            S(404),
            S(200),
            S(200),
            S(404),
            S(404),
            S(404),
            S(200),
        ],
    ),
    (
        Doc::Widened,
        [
            S(401),
            S(403),
            S(200),
            S(200),
            S(403),
            S(403),
            S(403),
            S(200),
        ],
    ),
    (
        Doc::Narrowed,
        [
            S(401),
            S(403),
            S(200),
            S(200),
            S(404),
            S(404),
            S(404),
            S(200),
        ],
    ),
    (
        Doc::Archived,
        [
            S(401),
            S(404),
            S(200),
            S(200),
            S(404),
            S(404),
            S(404),
            S(200),
        ],
    ),
];
const LISTED: DocRows = &[
    (
        Doc::Public,
        [
            L(true),
            L(true),
            L(true),
            L(true),
            L(true),
            L(true),
            L(true),
            L(true),
        ],
    ),
    (
        Doc::Network,
        [
            L(false),
            L(true),
            L(true),
            L(true),
            L(true),
            L(true),
            L(true),
            L(true),
        ],
    ),
    (
        Doc::Organisation,
        [
            L(false),
            L(true),
            L(true),
            L(true),
            L(false),
            L(false),
            L(false),
            L(true),
        ],
    ),
    // Lists show published documents only, to everyone.
    (
        Doc::Draft,
        [
            L(false),
            L(false),
            L(false),
            L(false),
            L(false),
            L(false),
            L(false),
            L(false),
        ],
    ),
    (Doc::Widened, [L(true); 8]),
    (
        Doc::Narrowed,
        [
            L(false),
            L(true),
            L(true),
            L(true),
            L(false),
            L(false),
            L(false),
            L(true),
        ],
    ),
    // Archived documents are listed to nobody, whatever drafts follow.
    (Doc::Archived, [L(false); 8]),
];
const REVIEW_QUEUE: DocRows = &[
    (
        Doc::Draft,
        [
            S(401),
            S(403),
            L(true),
            L(true),
            S(403),
            L(false),
            L(false),
            L(true),
        ],
    ),
    // Its new draft waits on the organisation's queue like any other.
    (
        Doc::Archived,
        [
            S(401),
            S(403),
            L(true),
            L(true),
            S(403),
            L(false),
            L(false),
            L(true),
        ],
    ),
];
const NEW: [Cell; 8] = [
    S(401),
    S(403),
    S(200),
    S(200),
    S(403),
    S(200),
    S(200),
    S(200),
];
const OPEN: [Cell; 8] = [S(200); 8];
/// `/access/compare?orgs={slug}`: the configuration is compared for those who may read it (its
/// organisation's staff read a draft, as on its page), and for anyone else the page says none
/// is shared, exactly as for an organisation that does not exist.
const COMPARED: DocRows = &[
    (
        Doc::Public,
        [
            L(true),
            L(true),
            L(true),
            L(true),
            L(true),
            L(true),
            L(true),
            L(true),
        ],
    ),
    (
        Doc::Network,
        [
            L(false),
            L(true),
            L(true),
            L(true),
            L(true),
            L(true),
            L(true),
            L(true),
        ],
    ),
    (
        Doc::Organisation,
        [
            L(false),
            L(true),
            L(true),
            L(true),
            L(false),
            L(false),
            L(false),
            L(true),
        ],
    ),
    (
        Doc::Draft,
        [
            L(false),
            L(false),
            L(true),
            L(true),
            L(false),
            L(false),
            L(false),
            L(true),
        ],
    ),
    (Doc::Widened, [L(true); 8]),
    (
        Doc::Narrowed,
        [
            L(false),
            L(true),
            L(true),
            L(true),
            L(false),
            L(false),
            L(false),
            L(true),
        ],
    ),
    (
        Doc::Archived,
        [
            L(false),
            L(false),
            L(true),
            L(true),
            L(false),
            L(false),
            L(false),
            L(true),
        ],
    ),
];
/// `/orgs/{slug}/access/waivers`: the organisation's publishers (and admins) alone, whatever
/// its configuration's state; nobody else learns anything from the answer.
const WAIVERS: [Cell; 8] = [
    S(401),
    S(403),
    S(403),
    S(200),
    S(403),
    S(403),
    S(403),
    S(200),
];

/// Every signed-in viewer; anonymous viewers are asked to sign in.
const SIGNED_IN: [Cell; 8] = [
    S(401),
    S(200),
    S(200),
    S(200),
    S(200),
    S(200),
    S(200),
    S(200),
];

/// The stored code of a kind, by its path.
fn code(kind: &str) -> &'static str {
    match kind {
        "guides" => "guide",
        "plans" => "plan",
        "lessons" => "lesson",
        "access" => "access",
        other => panic!("no kind at /{other}"),
    }
}

/// Expected answers for each viewer, per document (or for no document in particular).
type Rows = Vec<(Option<Doc>, [Cell; 8])>;
/// Expected answers for each viewer, per document.
type DocRows = &'static [(Doc, [Cell; 8])];

/// The kinds a route is checked for: the formats and page of access-management configurations
/// exist for them alone; pages about one document, and lists, for every kind.
fn kinds_of(route: &str, doc: Option<Doc>) -> &'static [&'static str] {
    // A rule's page lists the lessons naming it.
    if route.starts_with("/access/rules/") {
        return &KINDS[2..3];
    }
    if route.ends_with("/export.yaml")
        || route.ends_with("/export.json")
        || route.starts_with("/orgs/{slug}/access")
        || route.starts_with("/access/compare")
    {
        &KINDS[3..]
    } else if route == "/{kind}/{slug}/events.ics" {
        // Plans alone have events.
        &KINDS[1..2]
    } else if route.contains("{kind}") || doc.is_some() {
        &KINDS[..]
    } else {
        &KINDS[..1]
    }
}

/// Every kind, by path.
const KINDS: [&str; 4] = ["guides", "plans", "lessons", "access"];

/// An organisation has one access-management configuration, at its own slug, so each matrix
/// configuration belongs to an organisation of its own (NHS Fife's is the public one), whose
/// reader, editor and publisher are the "own organisation" viewers. Guides, plans and lessons
/// all belong to NHS Fife.
fn org_of(kind: &str, doc: Doc) -> &'static str {
    if kind != "access" {
        return "nhs-fife";
    }
    match doc {
        Doc::Public => "nhs-fife",
        Doc::Network => "nhs-lothian",
        Doc::Organisation => "leeds-teaching-hospitals",
        Doc::Draft => "newcastle-upon-tyne-hospitals",
        Doc::Widened => "norfolk-and-norwich-university-hospitals",
        Doc::Narrowed => "belfast-health-and-social-care-trust",
        Doc::Archived => "betsi-cadwaladr-university-health-board",
    }
}

/// The slug of a matrix document of a kind.
fn slug_in(kind: &str, doc: Doc) -> &'static str {
    if kind == "access" {
        org_of(kind, doc)
    } else {
        doc.slug()
    }
}

/// A configuration is never public: where the fixture makes a document public, it shares the
/// configuration with the network instead, which makes a difference to anonymous viewers alone:
/// what they could read they cannot, and lists no longer show it to them.
fn expected(kind: &str, cells: [Cell; 8]) -> [Cell; 8] {
    let mut cells = cells;
    if kind == "access" {
        cells[0] = match cells[0] {
            S(200) => S(404),
            L(true) => L(false),
            other => other,
        };
    }
    cells
}

/// Every GET route, with `{kind}` standing for guides, plans, lessons and access, and its expectations.
/// `{number}` is revision 1 and a bare `/diff` compares revision 1 with itself; the entries
/// with other revisions written out check documents whose visibility changed or that were
/// archived.
fn table() -> Vec<(&'static str, Rows)> {
    let doc_rows =
        |rows: &[(Doc, [Cell; 8])]| rows.iter().map(|(d, c)| (Some(*d), *c)).collect::<Vec<_>>();
    vec![
        ("/", vec![(None, OPEN)]),
        ("/login", vec![(None, OPEN)]),
        // One's own account: anyone signed in.
        ("/account", vec![(None, SIGNED_IN)]),
        ("/healthz", vec![(None, OPEN)]),
        // The access-management configuration schema: the same public document for everyone.
        ("/access/schema.json", vec![(None, OPEN)]),
        ("/orgs", vec![(None, OPEN)]),
        ("/orgs/{slug}", doc_rows(LISTED)),
        ("/review", doc_rows(REVIEW_QUEUE)),
        ("/{kind}", doc_rows(LISTED)),
        ("/{kind}/new", vec![(None, NEW)]),
        ("/{kind}/{slug}", doc_rows(PAGE)),
        ("/{kind}/{slug}/edit", doc_rows(EDIT)),
        ("/{kind}/{slug}/history", doc_rows(PAGE)),
        ("/{kind}/{slug}/history/{number}", doc_rows(REVISION_1)),
        ("/{kind}/{slug}/history/2", doc_rows(REVISION_2)),
        ("/{kind}/{slug}/diff", doc_rows(REVISION_1)),
        ("/{kind}/{slug}/diff?from=1&to=2", doc_rows(COMPARE_1_2)),
        ("/{kind}/{slug}/diff?from=2&to=1", doc_rows(COMPARE_1_2)),
        ("/{kind}/{slug}/diff?from=2&to=2", doc_rows(COMPARE_2_2)),
        ("/{kind}/{slug}/export.md", doc_rows(PAGE)),
        // A deployment plan's events: for those who may read the plan.
        ("/{kind}/{slug}/events.ics", doc_rows(PAGE)),
        // Formats of a kind's own: an access-management configuration as YAML and JSON.
        ("/{kind}/{slug}/export.yaml", doc_rows(PAGE)),
        ("/{kind}/{slug}/export.json", doc_rows(PAGE)),
        // An organisation's configuration, as its page shows it; 404 when not readable.
        ("/orgs/{slug}/access", doc_rows(PAGE)),
        // Waivers of its rules: for the organisation's publishers.
        (
            "/orgs/{slug}/access/waivers",
            Doc::ALL.iter().map(|d| (Some(*d), WAIVERS)).collect(),
        ),
        // Configurations compared: the page and its form for everyone; a configuration in it
        // for those who may read it.
        ("/access/compare", vec![(None, OPEN)]),
        ("/access/compare?orgs={slug}", doc_rows(COMPARED)),
        // The rule catalogue is public; a rule's page lists the lessons naming it (each fixture
        // lesson names MFA-01) as lists do.
        ("/access/rules", vec![(None, OPEN)]),
        ("/access/rules/{code}", doc_rows(LISTED)),
        ("/api/v1/{kind}", doc_rows(LISTED)),
        ("/api/v1/{kind}/{slug}", doc_rows(PAGE)),
        // Search finds what lists show: published documents the viewer may read.
        ("/search", doc_rows(LISTED)),
        ("/api/v1/search", doc_rows(LISTED)),
    ]
}

/// Server functions: the read-only ones are checked in the matrix, with the arguments they are
/// called with besides kind and slug; the others change state and are covered, with their
/// permissions, by the named test files.
/// Arguments of a server function besides kind and slug.
type Args = &'static [(&'static str, &'static str)];
const SERVER_FUNCTIONS_IN_MATRIX: &[(&str, Args, DocRows)] = &[
    ("/api/documents/get", &[], PAGE),
    ("/api/documents/history", &[], PAGE),
    ("/api/documents/revision", &[("number", "1")], REVISION_1),
    ("/api/documents/revision", &[("number", "2")], REVISION_2),
    (
        "/api/documents/diff",
        &[("from", "1"), ("to", "1")],
        REVISION_1,
    ),
    (
        "/api/documents/diff",
        &[("from", "1"), ("to", "2")],
        COMPARE_1_2,
    ),
    (
        "/api/documents/diff",
        &[("from", "2"), ("to", "1")],
        COMPARE_1_2,
    ),
    (
        "/api/documents/diff",
        &[("from", "2"), ("to", "2")],
        COMPARE_2_2,
    ),
    ("/api/documents/editor", &[], EDIT),
];
/// Read-only server functions that list documents, with the form each sends for a search that
/// finds only the given document, and whether it is listed.
const SERVER_FUNCTIONS_LISTING: &[(&str, &str, DocRows)] = &[
    ("/api/search/results", "query[q]", LISTED),
    ("/api/search/preview", "q", LISTED),
];
const SERVER_FUNCTIONS_ELSEWHERE: &[(&str, &str)] = &[
    (
        "/api/events/save",
        "events.rs (a crafted form changes no other organisation's event)",
    ),
    (
        "/api/events/occurrence",
        "events.rs (a crafted form changes no other organisation's event)",
    ),
    (
        "/api/account/get",
        "this file through /account, and events.rs (secret feed link)",
    ),
    ("/api/account/feed", "events.rs (secret feed link)"),
    ("/api/documents/save", "publishing.rs"),
    ("/api/documents/step", "publishing.rs"),
    ("/api/documents/restore", "publishing.rs"),
    (
        "/api/documents/preview",
        "publishing.rs (preview) and this file (anonymous refused)",
    ),
    (
        "/api/documents/list",
        "this file through /{kind} (same storage call)",
    ),
    (
        "/api/documents/recent",
        "this file through / (published, visible documents only)",
    ),
    ("/api/documents/review-queue", "this file through /review"),
    ("/api/sign-in", "auth.rs"),
    ("/api/sign-out", "auth.rs"),
    ("/api/current-user", "auth.rs"),
    ("/api/notice", "publishing.rs"),
    ("/api/orgs/list", "this file through /orgs"),
    ("/api/orgs/get", "this file through /orgs/{slug}"),
    (
        "/api/waivers/page",
        "this file through /orgs/{slug}/access/waivers",
    ),
    ("/api/waivers/grant", "waivers.rs"),
    ("/api/waivers/withdraw", "waivers.rs"),
    ("/api/access/compare", "this file through /access/compare"),
    ("/api/access/adopt", "compare.rs"),
    ("/api/access/rules", "this file through /access/rules"),
    ("/api/access/rule", "this file through /access/rules/{code}"),
    (
        "/api/contacts/save",
        "contacts.rs (a crafted form changes no other organisation's contact)",
    ),
    (
        "/api/contacts/archive",
        "contacts.rs (a crafted form changes no other organisation's contact)",
    ),
    (
        "/api/contacts/import",
        "contacts.rs (dry run, confirmation, other organisations' rows refused)",
    ),
    (
        "/api/contacts/of-plan",
        "contacts.rs (a plan's contacts for members who may read both)",
    ),
    (
        "/api/contacts/unverified",
        "contacts.rs (flagged to their organisation's publishers)",
    ),
];
/// Routes outside Leptos that take posts, with the test file that covers who may use them.
const POST_ROUTES_ELSEWHERE: &[(&str, &str)] = &[
    (
        "/api/documents/upload",
        "access.rs (anonymous 401, another organisation's editor 403 or 404, like the editor)",
    ),
    (
        "/api/contacts/upload",
        "contacts.rs (anonymous 401, readers and editors 403, the dry run of the file)",
    ),
];

/// Expected answers for each viewer, per event.
type EventRows = &'static [(Ev, [Cell; 8])];
/// Every signed-in member, and nobody else.
const MEMBERS: [Cell; 8] = [
    S(404),
    S(200),
    S(200),
    S(200),
    S(200),
    S(200),
    S(200),
    S(200),
];
/// Listed for every signed-in member.
const LISTED_TO_MEMBERS: [Cell; 8] = [
    L(false),
    L(true),
    L(true),
    L(true),
    L(true),
    L(true),
    L(true),
    L(true),
];
/// Listed for the members of the event's organisations, and admins.
const LISTED_TO_OWN_ORGANISATION: [Cell; 8] = [
    L(false),
    L(true),
    L(true),
    L(true),
    L(false),
    L(false),
    L(false),
    L(true),
];
/// One event: its page, its calendar file, its server function. Members of an organisation
/// taking part see an organisation-only event like their own.
const EVENT_PAGE: EventRows = &[
    (Ev::Public, EVERYONE),
    (Ev::Network, MEMBERS),
    (Ev::Organisation, OWN_ORGANISATION),
    (Ev::TakingPart, OWN_ORGANISATION),
];
/// The event editor: the organisation's editors, publishers and admins; others who may read the
/// event are refused (403), those who may not are told it does not exist (404), except readers,
/// who may not edit events at all (403). An organisation taking part does not edit the event.
const EVENT_EDIT: EventRows = &[
    (
        Ev::Public,
        [
            S(401),
            S(403),
            S(200),
            S(200),
            S(403),
            S(403),
            S(403),
            S(200),
        ],
    ),
    (
        Ev::Network,
        [
            S(401),
            S(403),
            S(200),
            S(200),
            S(403),
            S(403),
            S(403),
            S(200),
        ],
    ),
    (
        Ev::Organisation,
        [
            S(401),
            S(403),
            S(200),
            S(200),
            S(403),
            S(404),
            S(404),
            S(200),
        ],
    ),
    (
        Ev::TakingPart,
        [
            S(401),
            S(403),
            S(403),
            S(403),
            S(403),
            S(404),
            S(404),
            S(200),
        ],
    ),
];
/// A new event: editors, publishers and admins of any organisation (for their own).
const EVENT_NEW: EventRows = &[(
    Ev::Public,
    [
        S(401),
        S(403),
        S(200),
        S(200),
        S(403),
        S(200),
        S(200),
        S(200),
    ],
)];
/// Lists and feeds of events.
const EVENT_LISTED: EventRows = &[
    (Ev::Public, [L(true); 8]),
    (Ev::Network, LISTED_TO_MEMBERS),
    (Ev::Organisation, LISTED_TO_OWN_ORGANISATION),
    (Ev::TakingPart, LISTED_TO_OWN_ORGANISATION),
];

/// A viewer's secret feed link: what they may read; the anonymous viewer has no link, and a
/// made-up one answers 404.
const EVENT_LISTED_BY_TOKEN: EventRows = &[
    (
        Ev::Public,
        [
            S(404),
            L(true),
            L(true),
            L(true),
            L(true),
            L(true),
            L(true),
            L(true),
        ],
    ),
    (
        Ev::Network,
        [
            S(404),
            L(true),
            L(true),
            L(true),
            L(true),
            L(true),
            L(true),
            L(true),
        ],
    ),
    (
        Ev::Organisation,
        [
            S(404),
            L(true),
            L(true),
            L(true),
            L(false),
            L(false),
            L(false),
            L(true),
        ],
    ),
    (
        Ev::TakingPart,
        [
            S(404),
            L(true),
            L(true),
            L(true),
            L(false),
            L(false),
            L(false),
            L(true),
        ],
    ),
];

/// Every GET route about events, with `{id}` standing for each event, `{slug}` for NHS Fife and
/// `{token}` for each viewer's secret feed link (fetched without the viewer's cookies).
fn event_table() -> Vec<(&'static str, EventRows)> {
    vec![
        ("/events", EVENT_LISTED),
        ("/events/new", EVENT_NEW),
        ("/events/{id}/edit", EVENT_EDIT),
        ("/feeds/{token}/events.ics", EVENT_LISTED_BY_TOKEN),
        ("/events?when=past", EVENT_LISTED),
        ("/events/{id}", EVENT_PAGE),
        ("/events.ics", EVENT_LISTED),
        ("/events/{id}.ics", EVENT_PAGE),
        ("/orgs/{slug}/events.ics", EVENT_LISTED),
    ]
}

/// The event server functions: one event by id, its editor, the list, and an organisation's
/// upcoming events (NHS Fife's).
const EVENT_SERVER_FUNCTIONS: &[(&str, EventRows)] = &[
    ("/api/events/get", EVENT_PAGE),
    ("/api/events/editor", EVENT_EDIT),
    ("/api/events/list", EVENT_LISTED),
    ("/api/events/upcoming", EVENT_LISTED),
];

/// Stakeholder contacts, both NHS Fife's. Never public.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ct {
    Network,
    Organisation,
}

impl Ct {
    const ALL: [Ct; 2] = [Ct::Network, Ct::Organisation];

    fn slug(self) -> &'static str {
        match self {
            Ct::Network => "m-network",
            Ct::Organisation => "m-organisation",
        }
    }

    /// Its file in the fixture.
    fn file(self) -> (String, String) {
        let slug = self.slug();
        let visibility = match self {
            Ct::Network => "network",
            Ct::Organisation => "organisation",
        };
        (
            format!("contacts/{slug}.yaml"),
            format!(
                "name: Matrix {slug}\norganisation: nhs-fife\nroles: [it-lead]\nemail: {slug}@fife.nhs.example\nlast_verified: 2026-01-05\nvisibility: {visibility}\n"
            ),
        )
    }
}

/// Expected answers for each viewer, per contact.
type ContactRows = &'static [(Ct, [Cell; 8])];
/// A contact's page and its vCard: every signed-in member for a network contact, the members of
/// its organisation for an organisation one; anonymous visitors are sent to sign in (303).
const CONTACT_PAGE: ContactRows = &[
    (
        Ct::Network,
        [
            S(303),
            S(200),
            S(200),
            S(200),
            S(200),
            S(200),
            S(200),
            S(200),
        ],
    ),
    (
        Ct::Organisation,
        [
            S(303),
            S(200),
            S(200),
            S(200),
            S(404),
            S(404),
            S(404),
            S(200),
        ],
    ),
];
/// The directory lists what the pages show; anonymous visitors get no list and no count.
const CONTACT_LISTED: ContactRows = &[
    (
        Ct::Network,
        [
            S(303),
            L(true),
            L(true),
            L(true),
            L(true),
            L(true),
            L(true),
            L(true),
        ],
    ),
    (
        Ct::Organisation,
        [
            S(303),
            L(true),
            L(true),
            L(true),
            L(false),
            L(false),
            L(false),
            L(true),
        ],
    ),
];
/// The editor: the organisation's editors and publishers, and admins; readers may not edit
/// contacts at all (403), other organisations' editors are refused (403) or, for a contact they
/// may not read, told it does not exist (404).
const CONTACT_EDIT: ContactRows = &[
    (
        Ct::Network,
        [
            S(303),
            S(403),
            S(200),
            S(200),
            S(403),
            S(403),
            S(403),
            S(200),
        ],
    ),
    (
        Ct::Organisation,
        [
            S(303),
            S(403),
            S(200),
            S(200),
            S(403),
            S(404),
            S(404),
            S(200),
        ],
    ),
];
/// A new contact: editors, publishers and admins of any organisation (for their own).
const CONTACT_NEW: ContactRows = &[(
    Ct::Network,
    [
        S(303),
        S(403),
        S(200),
        S(200),
        S(403),
        S(200),
        S(200),
        S(200),
    ],
)];
/// The CSV import: publishers (for their own organisation) and admins.
const CONTACT_IMPORT: ContactRows = &[(
    Ct::Network,
    [
        S(303),
        S(403),
        S(403),
        S(200),
        S(403),
        S(403),
        S(200),
        S(200),
    ],
)];
/// Bulk exports (CSV and the list as vCards): the organisation's publishers and admins; another
/// organisation's publisher gets their own organisation's contacts, not these.
const CONTACT_EXPORT: ContactRows = &[
    (
        Ct::Network,
        [
            S(303),
            S(403),
            S(403),
            L(true),
            S(403),
            S(403),
            L(false),
            L(true),
        ],
    ),
    (
        Ct::Organisation,
        [
            S(303),
            S(403),
            S(403),
            L(true),
            S(403),
            S(403),
            L(false),
            L(true),
        ],
    ),
];

/// Every GET route of the contact directory, with `{slug}` standing for each contact.
fn contact_table() -> Vec<(&'static str, ContactRows)> {
    vec![
        ("/contacts", CONTACT_LISTED),
        ("/contacts/new", CONTACT_NEW),
        ("/contacts/import", CONTACT_IMPORT),
        ("/contacts/{slug}", CONTACT_PAGE),
        ("/contacts/{slug}/edit", CONTACT_EDIT),
        ("/contacts/{slug}.vcf", CONTACT_PAGE),
        ("/contacts.csv", CONTACT_EXPORT),
        ("/contacts.vcf", CONTACT_EXPORT),
    ]
}

/// The read-only contact server functions answer as their pages do, except that anonymous
/// callers get 401 where the pages send them to sign in.
const CONTACT_SERVER_FUNCTIONS: &[(&str, ContactRows)] = &[
    ("/api/contacts/get", CONTACT_PAGE),
    ("/api/contacts/editor", CONTACT_EDIT),
    ("/api/contacts/list", CONTACT_LISTED),
    ("/api/contacts/import-page", CONTACT_IMPORT),
];

fn kind_template(path: &str) -> String {
    let mut segments: Vec<String> = path.split('/').map(str::to_owned).collect();
    // A kind's pages start with its path; the schema and the comparison are not a
    // configuration's.
    let portal_page = ["/access/schema.json", "/access/compare", "/access/rules"]
        .iter()
        .any(|p| path == *p || path.starts_with(&format!("{p}/")));
    if !portal_page && segments.get(1).is_some_and(|s| KINDS.contains(&s.as_str())) {
        segments[1] = "{kind}".into();
    }
    segments
        .join("/")
        .replace(":slug", "{slug}")
        .replace(":number", "{number}")
        .replace(":id", "{id}")
        .replace(":code", "{code}")
}

#[tokio::test]
async fn every_route_is_in_the_table() {
    let listed: Vec<&str> = table()
        .iter()
        .map(|(r, _)| *r)
        .chain(event_table().iter().map(|(r, _)| *r))
        .chain(contact_table().iter().map(|(r, _)| *r))
        .collect();
    // The server's own list, generated once per process (leptos#4773).
    let leptos_routes: Vec<String> = server::startup::route_list()
        .iter()
        .map(|r| kind_template(r.path()))
        .collect();
    assert!(
        leptos_routes.len() >= 10,
        "route list generated: {leptos_routes:?}"
    );
    let mut missing = Vec::new();
    for route in leptos_routes.iter().map(String::as_str).chain(
        server::routes::routes()
            .iter()
            .map(|r| kind_template(r))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str),
    ) {
        if !listed.contains(&route) {
            missing.push(route.to_owned());
        }
    }
    for (path, _) in leptos::server_fn::axum::server_fn_paths() {
        let known = SERVER_FUNCTIONS_IN_MATRIX
            .iter()
            .any(|(p, _, _)| *p == path)
            || SERVER_FUNCTIONS_LISTING.iter().any(|(p, _, _)| *p == path)
            || SERVER_FUNCTIONS_ELSEWHERE.iter().any(|(p, _)| *p == path)
            || EVENT_SERVER_FUNCTIONS.iter().any(|(p, _)| *p == path)
            || CONTACT_SERVER_FUNCTIONS.iter().any(|(p, _)| *p == path);
        if !known {
            missing.push(path.to_owned());
        }
    }
    for route in server::routes::post_routes() {
        if !POST_ROUTES_ELSEWHERE.iter().any(|(p, _)| *p == route) {
            missing.push(format!("POST {route}"));
        }
    }
    assert!(
        missing.is_empty(),
        "routes missing from the permission table: {missing:?}"
    );
}

/// One fixture document file as the `import`-th import gives it, if it gives it.
fn doc_file(kind: &str, doc: Doc, import: usize) -> Option<(String, String)> {
    let (visibility, status, body) = doc.history()[import]?;
    if kind == "access" {
        let org = org_of(kind, doc);
        let visibility = if visibility == "public" {
            "network"
        } else {
            visibility
        };
        return Some((
            format!("access/{org}.md"),
            format!(
                "---\ntitle: {}\nsummary: For the permission matrix.\norganisation: {org}\nvisibility: {visibility}\nstatus: {status}\nreview_by: 2027-01-01\nconfiguration: |\n  schema_version: 1\n  organisation: {org}\n  visibility: {visibility}\n---\n{body}\n",
                title(kind, doc)
            ),
        ));
    }
    let extra = match kind {
        "plans" => "initiative: Single sign-on rollout\nproduct: OneSign\n",
        "lessons" => {
            "phase: pilot\ncontext: Context.\nwhat_happened: It happened.\nrecommendation: Do it.\nrules: [MFA-01]\n"
        }
        _ => "",
    };
    let slug = doc.slug();
    Some((
        format!("{kind}/{slug}.md"),
        format!(
            "---\ntitle: Matrix {kind} {slug}\nsummary: For the permission matrix.\norganisation: nhs-fife\nowner: callum.sampleton@fife.nhs.example\nvisibility: {visibility}\nstatus: {status}\nreview_by: 2027-01-01\n{extra}---\n{body}\n"
        ),
    ))
}

/// The content of the `import`-th import: the first also holds the demo organisations and
/// users; later ones only the documents they change.
fn fixture(import: usize) -> crate::common::TempDir {
    let root = repo_root().join("content");
    let mut files: Vec<(String, String)> = Vec::new();
    if import == 0 {
        for dir in ["organisations", "users"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                let path = entry.unwrap().path();
                files.push((
                    format!("{dir}/{}", path.file_name().unwrap().to_string_lossy()),
                    std::fs::read_to_string(&path).unwrap(),
                ));
            }
        }
    }
    for kind in KINDS {
        files.extend(Doc::ALL.iter().filter_map(|d| doc_file(kind, *d, import)));
    }
    if import == 0 {
        files.extend(Ev::ALL.iter().map(|e| e.file()));
        files.extend(Ct::ALL.iter().map(|c| c.file()));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    content_tree(&refs)
}

/// The title of a matrix document, which a search for it uses (all its words must match).
fn title(kind: &str, doc: Doc) -> String {
    format!("Matrix {kind} {}", doc.slug())
}

fn concrete(route: &str, kind: &str, doc: Option<Doc>) -> String {
    if route.ends_with("/search") {
        let words = title(kind, doc.unwrap_or(Doc::Public)).replace(' ', "+");
        return format!("{route}?q={words}");
    }
    let doc_or_public = doc.unwrap_or(Doc::Public);
    let slug = slug_in(kind, doc_or_public);
    let org = format!("/orgs/{}", org_of(kind, doc_or_public));
    let path = route
        .replace("{kind}", kind)
        .replace("{number}", "1")
        .replace("{code}", "MFA-01")
        .replace("/orgs/{slug}", &org)
        .replace("{slug}", slug);
    if route.ends_with("/diff") {
        format!("{path}?from=1&to=1")
    } else {
        path
    }
}

#[tokio::test]
async fn every_route_answers_every_viewer_as_the_table_says() {
    let content = fixture(0);
    let server = TestServer::builder()
        .content_dir(content.0.clone())
        // Every viewer of every organisation signs in from the same address.
        .configure(|c| c.sign_in.per_client_per_minute = 1000)
        .start()
        .await;
    // The later imports change visibility, archive, and save a draft after archiving.
    for import in 1..3 {
        let later = fixture(import);
        let out = server.command(&["import", later.0.to_str().unwrap()], None);
        assert_eq!(out.status, 0, "import {import}: {}", out.stderr);
    }
    let tayside_publisher = "tess.publisher@tayside.nhs.example";
    server.add_user(
        tayside_publisher,
        "Tess Publisher",
        "nhs-tayside",
        "publisher",
    );
    let emails = [
        "isla.placeholder@fife.nhs.example",
        "callum.sampleton@fife.nhs.example",
        "morag.testwell@fife.nhs.example",
        "duncan.trialford@tayside.nhs.example",
        "kirsty.dummett@tayside.nhs.example",
    ];
    for email in emails {
        server.set_password(email, PASSWORD);
    }
    let mut clients = vec![server.client()];
    for email in emails.iter().chain([&tayside_publisher]) {
        clients.push(server.signed_in(email, PASSWORD).await);
    }
    clients.push(
        server
            .signed_in("admin@trustshare.localhost", &server.admin_password)
            .await,
    );
    // The own-organisation viewers of each configuration: NHS Fife's are those above.
    let mut own: std::collections::HashMap<&str, Vec<reqwest::Client>> = Default::default();
    own.insert("nhs-fife", clients[1..4].to_vec());
    for doc in Doc::ALL {
        let org = org_of("access", doc);
        if own.contains_key(org) {
            continue;
        }
        let mut members = Vec::new();
        for role in ["reader", "editor", "publisher"] {
            let email = format!("matrix-{role}@{org}.example");
            server.add_user(&email, "Matrix Member", org, role);
            members.push(server.signed_in(&email, PASSWORD).await);
        }
        own.insert(org, members);
    }
    // The viewers, in column order, for a document of a kind.
    let viewers = |kind: &str, doc: Option<Doc>| -> Vec<reqwest::Client> {
        let mut v = clients.clone();
        if let Some(doc) = doc {
            v.splice(1..4, own[org_of(kind, doc)].iter().cloned());
        }
        v
    };
    server.search_ready().await;

    let mut failures = Vec::new();
    let mut cells = 0;
    for (route, rows) in table() {
        for (doc, row) in rows {
            // Pages about one document, and lists of every kind, are checked for each kind.
            for kind in kinds_of(route, doc) {
                let path = concrete(route, kind, doc);
                // Lists on pages other than /{kind} hold every kind; look for this kind's slug.
                let needle = doc.map(|d| format!("/{kind}/{}", slug_in(kind, d)));
                // Configurations are never public; a page about none in particular (the
                // comparison's form) is open like any other.
                let expected = if doc.is_some() {
                    expected(kind, row)
                } else {
                    row
                };
                let clients = viewers(kind, doc);
                for (viewer, (client, want)) in VIEWERS.iter().zip(clients.iter().zip(expected)) {
                    cells += 1;
                    let (status, body) = server.get(client, &path).await;
                    let ok = match want {
                        S(code) => status == code,
                        L(listed) => {
                            let found = needle.as_deref().is_some_and(|n| body.contains(n))
                                || doc.is_some_and(|d| {
                                    body.contains(&format!("\"slug\":\"{}\"", slug_in(kind, d)))
                                        && body.contains(&format!("\"kind\":\"{}\"", code(kind)))
                                });
                            status == 200 && found == listed
                        }
                    };
                    if !ok {
                        failures.push(format!(
                            "{path} as {viewer} ({doc:?}): expected {want:?}, got {status}"
                        ));
                    }
                }
            }
        }
    }

    // The read-only server functions answer as their pages do.
    let json = |c: &reqwest::Client| c.clone();
    for (path, args, rows) in SERVER_FUNCTIONS_IN_MATRIX {
        for (doc, row) in rows.iter() {
            for kind in KINDS {
                let slug = slug_in(kind, *doc);
                let mut form = vec![("kind", code(kind).to_owned()), ("slug", slug.to_owned())];
                form.extend(args.iter().map(|(k, v)| (*k, (*v).to_owned())));
                let expected = expected(kind, *row);
                let clients = viewers(kind, Some(*doc));
                for (viewer, (client, want)) in VIEWERS.iter().zip(clients.iter().zip(&expected)) {
                    cells += 1;
                    let response = json(client)
                        .post(server.url(path))
                        .header("accept", "application/json")
                        .header("origin", &server.base)
                        .form(&form)
                        .send()
                        .await
                        .unwrap();
                    let status = response.status().as_u16();
                    if S(status) != *want {
                        failures.push(format!(
                            "POST {path} {kind}/{slug} {args:?} as {viewer}: expected {want:?}, got {status}"
                        ));
                    }
                }
            }
        }
    }
    // The listing server functions list as the pages do.
    for (path, field, rows) in SERVER_FUNCTIONS_LISTING {
        for (doc, row) in rows.iter() {
            for kind in KINDS {
                let needle = format!("/{kind}/{}", slug_in(kind, *doc));
                let expected = expected(kind, *row);
                let clients = viewers(kind, Some(*doc));
                for (viewer, (client, want)) in VIEWERS.iter().zip(clients.iter().zip(&expected)) {
                    cells += 1;
                    let response = client
                        .post(server.url(path))
                        .header("accept", "application/json")
                        .header("origin", &server.base)
                        .form(&[(*field, title(kind, *doc))])
                        .send()
                        .await
                        .unwrap();
                    let status = response.status().as_u16();
                    let body = response.text().await.unwrap();
                    let ok = match want {
                        S(code) => status == *code,
                        L(listed) => status == 200 && body.contains(&needle) == *listed,
                    };
                    if !ok {
                        failures.push(format!(
                            "POST {path} for {needle} as {viewer}: expected {want:?}, got {status}"
                        ));
                    }
                }
            }
        }
    }
    // Events: pages, calendar files, lists and feeds, and their server functions.
    let db = server.db().await;
    let mut event_ids = Vec::new();
    for event in Ev::ALL {
        let id: i64 = sqlx::query_scalar("SELECT id FROM events WHERE slug = $1")
            .bind(event.slug())
            .fetch_one(db.pool())
            .await
            .unwrap_or_else(|e| panic!("event {} not imported: {e}", event.slug()));
        event_ids.push((event, id));
    }
    let id_of = |event: Ev| {
        event_ids
            .iter()
            .find(|(e, _)| *e == event)
            .map(|(_, id)| *id)
            .unwrap()
    };
    // Each signed-in viewer's secret feed link; the anonymous viewer gets a made-up one.
    let mut tokens = vec!["0".repeat(64)];
    for client in &clients[1..] {
        tokens.push(feed_token(&server, client).await);
    }
    let anonymous = server.client();
    for (route, rows) in event_table() {
        for (event, expected) in rows.iter() {
            let id = id_of(*event);
            let needle = if route.contains(".ics") {
                format!("UID:event-{id}@")
            } else {
                format!("href=\"/events/{id}\"")
            };
            for (n, (viewer, (client, want))) in
                VIEWERS.iter().zip(clients.iter().zip(expected)).enumerate()
            {
                cells += 1;
                let path = route
                    .replace("{id}", &id.to_string())
                    .replace("{slug}", "nhs-fife")
                    .replace("{token}", &tokens[n]);
                // A calendar app sends no cookies: the link alone must do.
                let client = if route.contains("{token}") {
                    &anonymous
                } else {
                    client
                };
                let (status, body) = server.get(client, &path).await;
                if !answers(want, status, &body, &needle) {
                    failures.push(format!(
                        "{path} as {viewer} ({event:?}): expected {want:?}, got {status}"
                    ));
                }
            }
        }
    }
    for (path, rows) in EVENT_SERVER_FUNCTIONS {
        for (event, expected) in rows.iter() {
            let id = id_of(*event);
            let form = match *path {
                "/api/events/get" | "/api/events/editor" => vec![("id", id.to_string())],
                "/api/events/upcoming" => vec![("of[Org]", "nhs-fife".to_owned())],
                _ => vec![("query[when]", "upcoming".to_owned())],
            };
            let needle = format!("\"event_id\":{id},");
            for (viewer, (client, want)) in VIEWERS.iter().zip(clients.iter().zip(expected)) {
                cells += 1;
                let (status, body) = post_json(&server, client, path, &form).await;
                if !answers(want, status, &body, &needle) {
                    failures.push(format!(
                        "POST {path} for {event:?} as {viewer}: expected {want:?}, got {status}"
                    ));
                }
            }
        }
    }
    // Contacts: pages, address cards, exports, and their server functions.
    for (route, rows) in contact_table() {
        for (contact, expected) in rows.iter() {
            let slug = contact.slug();
            let needle = if route.contains(".csv") || route.contains(".vcf") {
                format!("{slug}@fife.nhs.example")
            } else {
                format!("href=\"/contacts/{slug}\"")
            };
            let path = route.replace("{slug}", slug);
            for (viewer, (client, want)) in VIEWERS.iter().zip(clients.iter().zip(expected)) {
                cells += 1;
                let (status, body) = server.get(client, &path).await;
                if !answers(want, status, &body, &needle) {
                    failures.push(format!(
                        "{path} as {viewer} ({contact:?}): expected {want:?}, got {status}"
                    ));
                }
            }
        }
    }
    for (path, rows) in CONTACT_SERVER_FUNCTIONS {
        for (contact, expected) in rows.iter() {
            let slug = contact.slug();
            let form = match *path {
                "/api/contacts/get" => vec![("slug", slug.to_owned())],
                "/api/contacts/editor" => vec![("slug", slug.to_owned())],
                _ => vec![("query[q]", format!("Matrix {slug}"))],
            };
            let needle = format!("\"slug\":\"{slug}\"");
            for (viewer, (client, want)) in VIEWERS.iter().zip(clients.iter().zip(expected)) {
                cells += 1;
                let want = match want {
                    S(303) => S(401),
                    other => *other,
                };
                let (status, body) = post_json(&server, client, path, &form).await;
                if !answers(&want, status, &body, &needle) {
                    failures.push(format!(
                        "POST {path} for {contact:?} as {viewer}: expected {want:?}, got {status}"
                    ));
                }
            }
        }
    }
    let preview = server
        .client()
        .post(server.url("/api/documents/preview"))
        .form(&[("markdown", "x")])
        .send()
        .await
        .unwrap();
    if preview.status() != 401 {
        failures.push(format!(
            "POST /api/documents/preview anonymously: expected 401, got {}",
            preview.status()
        ));
    }
    assert!(cells > 1000, "only {cells} cells checked");
    assert!(
        failures.is_empty(),
        "{} of {cells} cells differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Makes the viewer a secret calendar feed link on their account page; returns its token.
async fn feed_token(server: &TestServer, client: &reqwest::Client) -> String {
    let response = client
        .post(server.url("/api/account/feed"))
        .header("origin", &server.base)
        .form(&[("action", "renew")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    let (status, page) = server.get(client, "/account").await;
    assert_eq!(status, 200);
    page.split("/feeds/")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .expect("the new link on the account page")
        .to_owned()
}

/// Whether an answer is what its cell expects; a listed item's answer contains `needle`.
fn answers(want: &Cell, status: u16, body: &str, needle: &str) -> bool {
    match want {
        S(code) => status == *code,
        L(listed) => status == 200 && body.contains(needle) == *listed,
    }
}

/// Calls a server function as the browser does, asking for JSON: the status and the body.
async fn post_json(
    server: &TestServer,
    client: &reqwest::Client,
    path: &str,
    form: &[(&str, String)],
) -> (u16, String) {
    let response = client
        .post(server.url(path))
        .header("accept", "application/json")
        .header("origin", &server.base)
        .form(form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}
