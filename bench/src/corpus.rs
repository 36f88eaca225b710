//! The generated corpus: organisations, people and documents of every kind, written as the
//! content folder `trustshare import` reads (the exporter's own format), so that the portal's
//! importer stores them exactly as it stores real content.
//!
//! Everything is drawn from a seeded random generator: the same prose and seed give the same
//! corpus. Text is borrowed prose (see `prose`) with NHS sentences mixed in (see `vocabulary`);
//! lengths follow log-normal distributions around the lengths of the demo content; most
//! documents are published, some are drafts, in review or archived; visibilities are mixed.

use std::path::Path;

use app::dates::Date;
use app::documents::export::{to_markdown, ExportMeta};
use app::documents::store::RevisionText;
use app::guides::GuideFields;
use app::kinds::DocKind;
use app::lessons::{LessonFields, LessonPhase};
use app::permissions::{DocStatus, Visibility};
use app::plans::fields::{Level, Milestone, MilestoneStatus, Phase, PlanFields, Risk, Scope};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::prose::Prose;
use crate::vocabulary as v;

/// Why the corpus could not be generated or written.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error(
        "the harvested text has too few sentences ({0}); point --text-dir at more documentation"
    )]
    TooLittleText(usize),
    #[error("a generated document cannot be written: {0}")]
    Export(String),
}

/// Sentences needed before a corpus is worth generating.
const MIN_SENTENCES: usize = 2000;
/// Median words of a guide's text, a lesson's account, and a plan's text.
const GUIDE_WORDS: f64 = 650.0;
const LESSON_WORDS: f64 = 380.0;
const PLAN_WORDS: f64 = 250.0;
/// Spread of the log-normal lengths (0.5: a quarter of documents are under 70 % of the median,
/// a quarter over 140 %, a few several times longer).
const LENGTH_SIGMA: f64 = 0.5;
/// The earliest and latest update dates (the year facet spans them).
const FIRST_DAY: (i32, u8, u8) = (2019, 1, 1);
const LAST_DAY: (i32, u8, u8) = (2026, 11, 30);

/// An organisation of the corpus.
#[derive(Clone, Debug)]
pub struct Org {
    pub slug: &'static str,
    pub name: &'static str,
    pub nation: &'static str,
    pub kind: &'static str,
    pub parent: Option<&'static str>,
    /// How many documents it writes, relative to the others.
    pub weight: u32,
}

/// A person of the corpus (no password: passwords are never imported).
#[derive(Clone, Debug)]
pub struct Person {
    pub email: String,
    pub name: String,
    pub org: usize,
    pub role: &'static str,
    pub job_title: &'static str,
}

/// One generated document, ready to be written as a content file.
#[derive(Clone, Debug)]
pub struct Generated {
    pub kind: DocKind,
    pub slug: String,
    pub org: usize,
    /// Index into the people, an editor or publisher of the organisation.
    pub owner: Option<usize>,
    pub status: DocStatus,
    pub updated: Date,
    pub text: RevisionText,
}

/// Draws organisations, people and documents.
pub struct Generator<'p> {
    prose: &'p Prose,
    rng: StdRng,
    orgs: Vec<Org>,
    people: Vec<Person>,
    /// `guides/slug` and `plans/slug` of documents generated so far, for lessons to link to.
    linkable: Vec<String>,
    first_day: time::Date,
    days: i64,
}

fn date(d: (i32, u8, u8)) -> time::Date {
    time::Month::try_from(d.1)
        .ok()
        .and_then(|m| time::Date::from_calendar_date(d.0, m, d.2).ok())
        .unwrap_or(time::Date::MIN)
}

impl<'p> Generator<'p> {
    /// A generator over `prose`, seeded.
    pub fn new(prose: &'p Prose, seed: u64) -> Result<Self, CorpusError> {
        if prose.sentences.len() < MIN_SENTENCES {
            return Err(CorpusError::TooLittleText(prose.sentences.len()));
        }
        let mut rng = StdRng::seed_from_u64(seed);
        let orgs: Vec<Org> = v::ORGANISATIONS
            .iter()
            .map(|&(slug, name, nation, kind, parent)| Org {
                slug,
                name,
                nation,
                kind,
                parent,
                weight: match kind {
                    "national-body" => 8,
                    "supplier" => 1,
                    _ => rng.gen_range(1..=10),
                },
            })
            .collect();
        let mut people = Vec::new();
        for (org, o) in orgs.iter().enumerate() {
            let name = o.slug.trim_start_matches("nhs-");
            let domain = format!("{}.nhs.example", name.split('-').next().unwrap_or("org"));
            for (role, count) in [("publisher", 1), ("editor", 2), ("reader", 3)] {
                for _ in 0..count {
                    let first = v::FIRST_NAMES[rng.gen_range(0..v::FIRST_NAMES.len())];
                    let last = v::SURNAMES[rng.gen_range(0..v::SURNAMES.len())];
                    people.push(Person {
                        email: format!(
                            "{}.{}{}@{domain}",
                            first.to_lowercase(),
                            last.to_lowercase(),
                            people.len()
                        ),
                        name: format!("{first} {last}"),
                        org,
                        role,
                        job_title: v::JOB_TITLES[rng.gen_range(0..v::JOB_TITLES.len())],
                    });
                }
            }
        }
        let first_day = date(FIRST_DAY);
        let days = (date(LAST_DAY) - first_day).whole_days();
        Ok(Self {
            prose,
            rng,
            orgs,
            people,
            linkable: Vec::new(),
            first_day,
            days,
        })
    }

    pub fn organisations(&self) -> &[Org] {
        &self.orgs
    }

    pub fn people(&self) -> &[Person] {
        &self.people
    }

    /// Document number `n` (numbers make slugs unique).
    pub fn document(&mut self, n: usize) -> Generated {
        let kind_code = match self.rng.gen_range(0..100) {
            0..=54 => "guide",
            55..=69 => "plan",
            _ => "lesson",
        };
        let kind = DocKind::from_code(kind_code).unwrap_or_else(|| {
            DocKind::all()
                .next()
                .expect("at least one kind is registered")
        });
        let org = self.pick_org();
        // Most documents talk about NHS work a good deal; some hardly at all.
        let nhs = if self.rng.gen_bool(0.7) { 0.12 } else { 0.03 };
        let status = match self.rng.gen_range(0..100) {
            0..=81 => DocStatus::Published,
            82..=88 => DocStatus::Draft,
            89..=92 => DocStatus::InReview,
            _ => DocStatus::Archived,
        };
        let visibility = match self.rng.gen_range(0..100) {
            0..=34 => Visibility::Public,
            35..=84 => Visibility::Network,
            _ => Visibility::Organisation,
        };
        // Recent years have more documents.
        let back = (self.rng.gen::<f64>().powi(2) * self.days as f64) as i64;
        let updated = Date::from_time(self.first_day).plus_days(self.days - back);
        let review_by = self
            .rng
            .gen_bool(0.6)
            .then(|| updated.plus_days(self.rng.gen_range(365..=1095)));
        let owner = if self.rng.gen_bool(0.85) {
            let staff: Vec<usize> = (0..self.people.len())
                .filter(|&p| self.people[p].org == org && self.people[p].role != "reader")
                .collect();
            Some(staff[self.rng.gen_range(0..staff.len())])
        } else {
            None
        };
        let (title, body, fields) = match kind_code {
            "plan" => self.plan(org, nhs, updated),
            "lesson" => self.lesson(org, nhs),
            _ => self.guide(org, nhs),
        };
        let slug = slug(&title, n);
        if kind_code != "lesson" {
            self.linkable.push(format!("{}/{slug}", kind.path()));
        }
        let summary = self.summary(org, nhs);
        let topic = if kind_code != "lesson" && self.rng.gen_bool(0.7) {
            v::TOPICS[self.rng.gen_range(0..v::TOPICS.len())].to_owned()
        } else {
            String::new()
        };
        let tags = self.tags();
        Generated {
            kind,
            slug,
            org,
            owner,
            status,
            updated,
            text: RevisionText {
                title,
                summary,
                body,
                topic,
                tags,
                owner_id: None,
                visibility,
                review_by,
                fields,
            },
        }
    }

    fn pick_org(&mut self) -> usize {
        let total: u32 = self.orgs.iter().map(|o| o.weight).sum();
        let mut at = self.rng.gen_range(0..total);
        for (i, o) in self.orgs.iter().enumerate() {
            if at < o.weight {
                return i;
            }
            at -= o.weight;
        }
        0
    }

    /// A log-normal number of words around `median`.
    fn length(&mut self, median: f64) -> usize {
        // Box–Muller: a standard normal from two uniforms.
        let (u1, u2): (f64, f64) = (self.rng.gen_range(f64::EPSILON..1.0), self.rng.gen());
        let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
        (median * (LENGTH_SIGMA * z).exp()).clamp(40.0, 12_000.0) as usize
    }

    fn pick<'a>(&mut self, list: &'a [&'a str]) -> &'a str {
        list[self.rng.gen_range(0..list.len())]
    }

    /// A borrowed sentence, or with probability `nhs` one about NHS work.
    fn sentence(&mut self, org: usize, nhs: f64) -> String {
        if self.rng.gen_bool(nhs) {
            let template = self.pick(v::NHS_SENTENCES);
            let filled = template
                .replace("{org}", self.orgs[org].name)
                .replace("{system}", self.pick(v::SYSTEMS))
                .replace("{dept}", self.pick(v::DEPARTMENTS))
                .replace("{role}", self.pick(v::ROLES));
            let mut chars = filled.chars();
            return match chars.next() {
                Some(c) => c.to_uppercase().chain(chars).collect(),
                None => filled,
            };
        }
        let s = &self.prose.sentences[self.rng.gen_range(0..self.prose.sentences.len())];
        s.clone()
    }

    fn paragraph(&mut self, org: usize, nhs: f64, sentences: usize) -> String {
        (0..sentences)
            .map(|_| self.sentence(org, nhs))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The first few words of a borrowed sentence, for titles and names.
    fn fragment(&mut self, min: usize, max: usize) -> String {
        let s = &self.prose.sentences[self.rng.gen_range(0..self.prose.sentences.len())];
        let words = self.rng.gen_range(min..=max);
        let cut: Vec<&str> = s.split_whitespace().take(words).collect();
        let text = cut.join(" ");
        let text = text.split([',', ';', ':', '(']).next().unwrap_or_default();
        text.trim_end_matches(['.', '?', '!', '"', '\'', ')', '-'])
            .trim()
            .to_owned()
    }

    fn heading(&mut self) -> String {
        if !self.prose.headings.is_empty() && self.rng.gen_bool(0.7) {
            let h = &self.prose.headings[self.rng.gen_range(0..self.prose.headings.len())];
            return h.clone();
        }
        self.pick(v::TITLE_SUBJECTS).to_owned()
    }

    /// Markdown of about `words` words: paragraphs under headings, now and then a list.
    fn markdown(&mut self, org: usize, nhs: f64, words: usize) -> String {
        let mut out = Vec::new();
        let mut count = 0;
        let mut first = true;
        while count < words {
            if !first && self.rng.gen_bool(0.35) {
                out.push(format!("## {}", self.heading()));
            }
            first = false;
            let block = if self.rng.gen_bool(0.15) {
                let items = self.rng.gen_range(3..=6);
                (0..items)
                    .map(|_| format!("- {}", self.sentence(org, nhs)))
                    .collect::<Vec<_>>()
                    .join("\n")
            } else {
                let sentences = self.rng.gen_range(2..=7);
                self.paragraph(org, nhs, sentences)
            };
            count += block.split_whitespace().count();
            out.push(block);
        }
        out.join("\n\n")
    }

    fn summary(&mut self, org: usize, nhs: f64) -> String {
        let mut summary = self.sentence(org, nhs.max(0.25));
        if self.rng.gen_bool(0.5) {
            let more = self.sentence(org, nhs);
            if summary.len() + more.len() < 390 {
                summary = format!("{summary} {more}");
            }
        }
        summary.chars().take(400).collect()
    }

    fn tags(&mut self) -> Vec<String> {
        let count = self.rng.gen_range(1..=5);
        let mut tags = Vec::new();
        while tags.len() < count {
            // Falling weights: the first tags are used far more than the last.
            let rank = (self.rng.gen::<f64>().powi(3) * v::TAGS.len() as f64) as usize;
            let tag = v::TAGS[rank.min(v::TAGS.len() - 1)].to_owned();
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        tags.sort();
        tags
    }

    fn guide(&mut self, org: usize, nhs: f64) -> (String, String, serde_json::Value) {
        let title = match self.rng.gen_range(0..10) {
            0..=4 => format!("{}: {}", self.pick(v::TITLE_SUBJECTS), self.fragment(3, 7)),
            5..=7 => self.fragment(4, 9),
            _ => format!(
                "{} at {}",
                self.pick(v::TITLE_SUBJECTS),
                self.orgs[org].name
            ),
        };
        let words = self.length(GUIDE_WORDS);
        let body = self.markdown(org, nhs, words);
        (
            title,
            body,
            serde_json::to_value(GuideFields::default()).unwrap_or_default(),
        )
    }

    fn lesson(&mut self, org: usize, nhs: f64) -> (String, String, serde_json::Value) {
        let title = self.fragment(5, 12);
        let words = self.length(LESSON_WORDS);
        let part = |share: f64| ((words as f64 * share) as usize).max(20);
        let phase = match self.rng.gen_range(0..100) {
            0..=14 => LessonPhase::Procurement,
            15..=39 => LessonPhase::Pilot,
            40..=79 => LessonPhase::Rollout,
            _ => LessonPhase::BusinessAsUsual,
        };
        let mut related = Vec::new();
        if !self.linkable.is_empty() {
            for _ in 0..self.rng.gen_range(0..=2) {
                let link = self.linkable[self.rng.gen_range(0..self.linkable.len())].clone();
                if !related.contains(&link) {
                    related.push(link);
                }
            }
        }
        let do_differently = (0..self.rng.gen_range(2..=4))
            .map(|_| format!("- {}", self.sentence(org, nhs)))
            .collect::<Vec<_>>()
            .join("\n");
        let fields = LessonFields {
            phase,
            context: self.markdown(org, nhs, part(0.25)),
            what_happened: self.markdown(org, nhs, part(0.3)),
            what_worked: self.markdown(org, nhs, part(0.15)),
            do_differently,
            recommendation: self.paragraph(org, nhs, 2),
            related,
            rules: Vec::new(),
        };
        let body = if self.rng.gen_bool(0.4) {
            let sentences = self.rng.gen_range(1..=4);
            self.paragraph(org, nhs, sentences)
        } else {
            String::new()
        };
        (
            title,
            body,
            serde_json::to_value(fields).unwrap_or_default(),
        )
    }

    fn plan(&mut self, org: usize, nhs: f64, updated: Date) -> (String, String, serde_json::Value) {
        let initiative = self.pick(v::INITIATIVES).to_owned();
        let title = if self.rng.gen_bool(0.6) {
            format!("{} {}", self.orgs[org].name, initiative.to_lowercase())
        } else {
            format!("{initiative}: {}", self.fragment(3, 7))
        };
        let (product, version) = v::PRODUCTS[self.rng.gen_range(0..v::PRODUCTS.len())];
        let choose = |g: &mut Self, list: &[&str], max: usize| -> Vec<String> {
            let n = g.rng.gen_range(1..=max);
            let mut out: Vec<String> = Vec::new();
            for _ in 0..n {
                let item = g.pick(list).to_owned();
                if !out.contains(&item) {
                    out.push(item);
                }
            }
            out
        };
        let sites = choose(self, v::SITES, 4);
        let departments = choose(self, v::DEPARTMENTS, 5);
        let first = self.rng.gen_range(0..2);
        let last = self.rng.gen_range(first + 3..=v::PLAN_PHASES.len());
        let mut day = updated.plus_days(-self.rng.gen_range(200..600));
        let mut phases = Vec::new();
        for name in &v::PLAN_PHASES[first..last] {
            let mut milestones = Vec::new();
            for _ in 0..self.rng.gen_range(1..=4) {
                day = day.plus_days(self.rng.gen_range(14..=70));
                let slip = [0, 0, 0, 7, 14, 28][self.rng.gen_range(0..6)];
                let forecast = day.plus_days(slip);
                let status = if forecast < updated {
                    MilestoneStatus::Done
                } else if slip > 0 {
                    [MilestoneStatus::AtRisk, MilestoneStatus::Slipped][self.rng.gen_range(0..2)]
                } else {
                    [MilestoneStatus::Planned, MilestoneStatus::OnTrack][self.rng.gen_range(0..2)]
                };
                let name = if self.rng.gen_bool(0.4) {
                    format!(
                        "Wave {} go-live ({})",
                        self.rng.gen_range(1..=6),
                        self.pick(v::DEPARTMENTS)
                    )
                } else {
                    self.fragment(3, 9)
                };
                milestones.push(Milestone {
                    name,
                    baseline: day,
                    forecast,
                    status,
                });
            }
            phases.push(Phase {
                name: (*name).to_owned(),
                milestones,
            });
        }
        let levels = [Level::Low, Level::Medium, Level::High];
        let risks = (0..self.rng.gen_range(1..=5))
            .map(|_| Risk {
                description: self.sentence(org, nhs.max(0.3)),
                likelihood: levels[self.rng.gen_range(0..3)],
                impact: levels[self.rng.gen_range(0..3)],
                owner: self.pick(v::ROLES).to_owned(),
                mitigation: self.sentence(org, nhs),
            })
            .collect();
        let fields = PlanFields {
            initiative,
            product: product.to_owned(),
            product_version: version.to_owned(),
            scope: Scope {
                sites,
                departments,
                users: Some(self.rng.gen_range(500..=20_000)),
                workstations: Some(self.rng.gen_range(200..=6_000)),
            },
            phases,
            risks,
            contacts: Vec::new(),
        };
        let words = self.length(PLAN_WORDS);
        let body = self.markdown(org, nhs, words);
        (
            title,
            body,
            serde_json::to_value(fields).unwrap_or_default(),
        )
    }
}

/// A slug from a title, made unique by the document's number.
fn slug(title: &str, n: usize) -> String {
    let mut s = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
        if s.len() >= 60 {
            break;
        }
    }
    let s = s.trim_end_matches('-');
    if s.is_empty() {
        format!("document-{n}")
    } else {
        format!("{s}-{n}")
    }
}

/// Writes the organisations and people of `g` as `organisations/*.md` and `users/*.md` under
/// `dir`.
pub fn write_directory(dir: &Path, g: &Generator<'_>) -> Result<(), CorpusError> {
    let orgs_dir = dir.join("organisations");
    let users_dir = dir.join("users");
    std::fs::create_dir_all(&orgs_dir)?;
    std::fs::create_dir_all(&users_dir)?;
    for (i, o) in g.organisations().iter().enumerate() {
        let parent = o
            .parent
            .map(|p| format!("parent: {p}\n"))
            .unwrap_or_default();
        let text = format!(
            "---\nname: \"{}\"\ncode: BENCH{i:03}\nnation: {}\nkind: {}\n{parent}---\n{} is one of the organisations of the generated search benchmark corpus.\n",
            o.name.replace('"', "'"),
            o.nation,
            o.kind,
            o.name
        );
        std::fs::write(orgs_dir.join(format!("{}.md", o.slug)), text)?;
    }
    for (i, p) in g.people().iter().enumerate() {
        let text = format!(
            "---\nemail: {}\nname: {}\norganisation: {}\nrole: {}\njob_title: {}\n---\n",
            p.email,
            p.name,
            g.organisations()[p.org].slug,
            p.role,
            p.job_title
        );
        std::fs::write(users_dir.join(format!("person-{i}.md")), text)?;
    }
    Ok(())
}

/// Writes one document as `{kind path}/{slug}.md` under `dir`, in the format the exporter
/// writes and the importer reads.
pub fn write_document(dir: &Path, g: &Generator<'_>, doc: &Generated) -> Result<(), CorpusError> {
    let folder = dir.join(doc.kind.path());
    std::fs::create_dir_all(&folder)?;
    let owner = doc.owner.map(|p| &g.people()[p]);
    let meta = ExportMeta {
        kind: doc.kind,
        organisation: g.organisations()[doc.org].slug,
        owner_email: owner.map(|p| p.email.as_str()),
        owner_name: owner.map(|p| p.name.as_str()),
        status: doc.status,
        updated: doc.updated,
    };
    let text = to_markdown(&meta, &doc.text).map_err(|e| CorpusError::Export(e.to_string()))?;
    std::fs::write(folder.join(format!("{}.md", doc.slug)), text)?;
    Ok(())
}

/// Whether `text` has `word` as a whole word, ignoring case: for the corpus statistics.
pub fn has_word(text: &str, word: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric())
        .any(|w| w.eq_ignore_ascii_case(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prose() -> Prose {
        let mut p = Prose::default();
        for i in 0..MIN_SENTENCES {
            p.sentences.push(format!(
                "The package number {i} installs the tools that you need for this work."
            ));
        }
        p.headings.push("Installation".into());
        p
    }

    #[test]
    fn slugs_are_valid_and_numbered() {
        assert_eq!(
            slug("Smart card enrolment: the start", 7),
            "smart-card-enrolment-the-start-7"
        );
        assert_eq!(slug("!!!", 3), "document-3");
        assert!(app::slugs::validate_slug(&slug(&"word ".repeat(40), 99_999)).is_ok());
    }

    #[test]
    fn the_same_seed_gives_the_same_documents() {
        let p = prose();
        let mut a = Generator::new(&p, 1).unwrap();
        let mut b = Generator::new(&p, 1).unwrap();
        for n in 0..20 {
            let (x, y) = (a.document(n), b.document(n));
            assert_eq!(x.slug, y.slug);
            assert_eq!(x.text.body, y.text.body);
        }
    }

    #[test]
    fn documents_are_mostly_published_and_of_every_kind() {
        let p = prose();
        let mut g = Generator::new(&p, 2).unwrap();
        let docs: Vec<Generated> = (0..2000).map(|n| g.document(n)).collect();
        let published = docs
            .iter()
            .filter(|d| d.status == DocStatus::Published)
            .count();
        assert!(published > 1500 && published < 1800, "{published}");
        // The prose kinds; configurations are structured data, not text to search at scale.
        for code in ["guide", "plan", "lesson"] {
            assert!(docs.iter().any(|d| d.kind.code() == code), "{code}");
        }
        let nhs = docs
            .iter()
            .filter(|d| {
                has_word(&d.text.body, "NHS") || has_word(&d.text.fields.to_string(), "NHS")
            })
            .count();
        assert!(nhs > 800, "NHS in {nhs} of 2000");
    }

    #[test]
    fn too_little_text_is_refused() {
        assert!(matches!(
            Generator::new(&Prose::default(), 1),
            Err(CorpusError::TooLittleText(0))
        ));
    }
}
