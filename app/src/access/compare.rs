//! Configurations side by side: every fact of the readable sections ([`super::present`]) in a
//! row per fact and a column per organisation, each row marked when the organisations differ;
//! and the key settings ([`SETTINGS`]), each a value at one place of the format, with where each
//! organisation stands against the median of every configuration the viewer may read. A
//! setting at one place of the format can be copied from one configuration into another
//! ([`Setting::yaml_value`]).

use serde::{Deserialize, Serialize};

use super::model::Configuration;
use super::present::{sections, Block};

/// An organisation in a comparison.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComparedOrg {
    pub slug: String,
    pub name: String,
}

/// One fact across the organisations.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComparedRow {
    pub label: String,
    /// One value per organisation, in column order; `None` when its configuration has no such
    /// fact (a policy only one of them has, say).
    pub values: Vec<Option<String>>,
    /// The organisations do not all say the same.
    pub differs: bool,
}

/// One section of the configurations, side by side.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComparedSection {
    pub id: String,
    pub heading: String,
    pub rows: Vec<ComparedRow>,
}

/// How to find a setting in a configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// The value at this path of the format (`operations`, `training_coverage_percent`).
    At(&'static str, &'static str),
    /// How many items the list at this path holds.
    CountOf(&'static [&'static str]),
}

/// A setting compared across configurations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Setting {
    /// Its stable name, in forms.
    pub id: &'static str,
    /// The id of the section it belongs to, as [`sections`] names them.
    pub section: &'static str,
    pub label: &'static str,
    pub place: Place,
    /// For a number: its unit as shown after it (`%`, ` s`); `None` for other values.
    pub unit: Option<&'static str>,
}

/// The settings compared one by one, numbers with the median.
pub const SETTINGS: &[Setting] = &[
    Setting {
        id: "appliances",
        section: "deployment",
        label: "Appliances",
        place: Place::CountOf(&["deployment", "appliances"]),
        unit: Some(""),
    },
    Setting {
        id: "product-version",
        section: "deployment",
        label: "Product version",
        place: Place::At("deployment", "product_version"),
        unit: None,
    },
    Setting {
        id: "applications",
        section: "applications",
        label: "Applications enrolled for single sign-on",
        place: Place::CountOf(&["application_profiles"]),
        unit: Some(""),
    },
    Setting {
        id: "spine-grace-period",
        section: "spine",
        label: "Smartcard grace period",
        place: Place::At("spine", "grace_period_s"),
        unit: Some(" s"),
    },
    Setting {
        id: "separate-admin-accounts",
        section: "administrators",
        label: "Separate administrator accounts",
        place: Place::At("administrators", "separate_admin_accounts"),
        unit: None,
    },
    Setting {
        id: "admin-mfa",
        section: "administrators",
        label: "Multi-factor authentication for administrators",
        place: Place::At("administrators", "admin_mfa"),
        unit: None,
    },
    Setting {
        id: "admin-consoles",
        section: "administrators",
        label: "Consoles only from workstations without internet or email",
        place: Place::At(
            "administrators",
            "consoles_only_from_workstations_without_internet",
        ),
        unit: None,
    },
    Setting {
        id: "super-administrators",
        section: "administrators",
        label: "Super administrators",
        place: Place::At("administrators", "super_administrators"),
        unit: Some(""),
    },
    Setting {
        id: "remote-access-systems",
        section: "remote-access",
        label: "Remote access systems",
        place: Place::CountOf(&["remote_access"]),
        unit: Some(""),
    },
    Setting {
        id: "backup-last-tested",
        section: "operations",
        label: "Restore from backup last tested",
        place: Place::At("operations", "backup_last_tested"),
        unit: None,
    },
    Setting {
        id: "training-coverage",
        section: "operations",
        label: "Staff trained in security in the last 12 months",
        place: Place::At("operations", "training_coverage_percent"),
        unit: Some(" %"),
    },
    Setting {
        id: "it-ot-separation",
        section: "operations",
        label: "IT and operational technology networks",
        place: Place::At("operations", "it_ot_separation"),
        unit: None,
    },
];

impl Setting {
    /// The setting with this id.
    pub fn find(id: &str) -> Option<&'static Setting> {
        SETTINGS.iter().find(|s| s.id == id)
    }

    /// Whether it is a number, compared with the median.
    pub fn is_number(&self) -> bool {
        self.unit.is_some()
    }

    /// Its value in a configuration, in the format's own terms (`null`: not recorded).
    fn raw(&self, config: &Configuration) -> serde_json::Value {
        let json = serde_json::to_value(config).unwrap_or_default();
        match self.place {
            Place::At(section, key) => json[section][key].clone(),
            Place::CountOf(path) => {
                let list = path.iter().fold(&json, |v, key| &v[*key]);
                list.as_array()
                    .map_or(serde_json::Value::Null, |items| items.len().into())
            }
        }
    }

    /// Its value as a number, for a number that is recorded.
    pub fn number(&self, config: &Configuration) -> Option<i64> {
        self.is_number()
            .then(|| self.raw(config).as_i64())
            .flatten()
    }

    /// Its value as people read it; `None` when not recorded.
    pub fn text(&self, config: &Configuration) -> Option<String> {
        match self.raw(config) {
            serde_json::Value::Null => None,
            serde_json::Value::Bool(b) => Some(if b { "Yes" } else { "No" }.to_owned()),
            serde_json::Value::Number(n) => Some(format!("{n}{}", self.unit.unwrap_or(""))),
            serde_json::Value::String(s) => Some(s),
            other => Some(other.to_string()),
        }
    }

    /// The value as a YAML scalar to copy into another configuration at the same place:
    /// `None` when it is not recorded, or when the setting is not one value at one place (a
    /// count of items).
    pub fn yaml_value(&self, config: &Configuration) -> Option<String> {
        let Place::At(..) = self.place else {
            return None;
        };
        match self.raw(config) {
            serde_json::Value::Null => None,
            serde_json::Value::Bool(b) => Some(b.to_string()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            // A JSON string is a YAML string too, quoted so no value reads as another type.
            serde_json::Value::String(s) => serde_json::to_string(&s).ok(),
            _ => None,
        }
    }
}

/// The median of the values, unknown ones left out by the caller: the middle one, or the mean
/// of the two in the middle of an even number; `None` for none.
pub fn median(values: &[i64]) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2] as f64),
        _ => Some((sorted[n / 2 - 1] as f64 + sorted[n / 2] as f64) / 2.0),
    }
}

/// Where a value stands against the median.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Standing {
    Above,
    AtMedian,
    Below,
    /// Not recorded, or no median to compare with.
    Unknown,
}

impl Standing {
    fn of(value: Option<i64>, median: Option<f64>) -> Self {
        match (value, median) {
            (Some(v), Some(m)) if (v as f64) > m => Standing::Above,
            (Some(v), Some(m)) if (v as f64) < m => Standing::Below,
            (Some(_), Some(_)) => Standing::AtMedian,
            _ => Standing::Unknown,
        }
    }

    /// What people read.
    pub fn label(self) -> &'static str {
        match self {
            Standing::Above => "above the median",
            Standing::AtMedian => "at the median",
            Standing::Below => "below the median",
            Standing::Unknown => "not recorded",
        }
    }
}

/// One key setting across the organisations.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SettingRow {
    pub id: String,
    pub section: String,
    pub label: String,
    /// One value per organisation, as people read it.
    pub values: Vec<Option<String>>,
    pub differs: bool,
    /// For a number: its median, and each organisation's value and standing.
    pub numbers: Option<Numbers>,
}

/// A number against the median of every configuration the viewer may read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Numbers {
    pub median: Option<f64>,
    /// How many of those configurations record it.
    pub recorded: usize,
    pub values: Vec<Option<i64>>,
    pub standings: Vec<Standing>,
    /// The largest of the values and the median, the scale of a chart.
    pub scale: f64,
}

/// Configurations side by side.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub orgs: Vec<ComparedOrg>,
    pub sections: Vec<ComparedSection>,
    pub settings: Vec<SettingRow>,
    /// How many configurations the medians are taken over.
    pub pool: usize,
}

/// Whether values differ: any two recorded or not recorded differently.
fn differ<T: PartialEq>(values: &[T]) -> bool {
    values.windows(2).any(|w| w[0] != w[1])
}

/// Compares `configs` (in column order) with each other, and their numbers with the medians of
/// `pool`, every configuration the viewer may read.
pub fn compare(configs: &[(ComparedOrg, Configuration)], pool: &[Configuration]) -> Comparison {
    let per_org: Vec<Vec<super::present::Section>> =
        configs.iter().map(|(_, c)| sections(c)).collect();
    let mut compared: Vec<ComparedSection> = Vec::new();
    for (column, org_sections) in per_org.iter().enumerate() {
        for section in org_sections {
            let at = match compared.iter().position(|s| s.id == section.id) {
                Some(at) => at,
                None => {
                    compared.push(ComparedSection {
                        id: section.id.clone(),
                        heading: section.heading.clone(),
                        rows: Vec::new(),
                    });
                    compared.len() - 1
                }
            };
            for (label, value) in facts(&section.blocks) {
                let rows = &mut compared[at].rows;
                let row = match rows.iter().position(|r| r.label == label) {
                    Some(i) => &mut rows[i],
                    None => {
                        rows.push(ComparedRow {
                            label,
                            values: vec![None; configs.len()],
                            differs: false,
                        });
                        rows.last_mut().expect("just pushed")
                    }
                };
                row.values[column] = Some(value);
            }
        }
    }
    for section in &mut compared {
        for row in &mut section.rows {
            row.differs = differ(&row.values);
        }
    }
    let settings = SETTINGS
        .iter()
        .map(|s| {
            let values: Vec<Option<String>> = configs.iter().map(|(_, c)| s.text(c)).collect();
            let numbers = s.is_number().then(|| {
                let recorded: Vec<i64> = pool.iter().filter_map(|c| s.number(c)).collect();
                let median = median(&recorded);
                let values: Vec<Option<i64>> = configs.iter().map(|(_, c)| s.number(c)).collect();
                let scale = values
                    .iter()
                    .flatten()
                    .map(|v| *v as f64)
                    .chain(median)
                    .fold(0.0, f64::max);
                Numbers {
                    median,
                    recorded: recorded.len(),
                    standings: values.iter().map(|v| Standing::of(*v, median)).collect(),
                    values,
                    scale,
                }
            });
            SettingRow {
                id: s.id.to_owned(),
                section: s.section.to_owned(),
                label: s.label.to_owned(),
                differs: differ(&values),
                values,
                numbers,
            }
        })
        .collect();
    Comparison {
        orgs: configs.iter().map(|(o, _)| o.clone()).collect(),
        sections: compared,
        settings,
        pool: pool.len(),
    }
}

/// A section's facts as (label, value): a summary list's facts under their heading, a table's
/// rows under its caption, a note as it is.
fn facts(blocks: &[Block]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for block in blocks {
        match block {
            Block::Facts { heading, facts } => {
                for f in facts {
                    let label = match heading {
                        Some(h) => format!("{h}: {}", f.label),
                        None => f.label.clone(),
                    };
                    out.push((label, f.value.clone()));
                }
            }
            Block::Table {
                caption,
                columns,
                rows,
            } => {
                let lines: Vec<String> = rows
                    .iter()
                    .map(|row| {
                        let mut cells = columns.iter().zip(row);
                        let first = cells.next().map(|(_, v)| v.clone()).unwrap_or_default();
                        let rest: Vec<String> = cells.map(|(c, v)| format!("{c}: {v}")).collect();
                        format!("{first} ({})", rest.join("; "))
                    })
                    .collect();
                out.push((caption.clone(), lines.join("\n")));
            }
            Block::Note(text) => out.push(("Summary".to_owned(), text.clone())),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::model::{AdministratorAccess, Operations};
    use crate::access::values::Percent;

    #[test]
    fn the_median_is_the_middle_value_or_the_mean_of_the_two_middle_ones() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[7]), Some(7.0));
        assert_eq!(median(&[90, 70, 80]), Some(80.0));
        assert_eq!(median(&[95, 70, 80, 90]), Some(85.0));
        assert_eq!(median(&[1, 2]), Some(1.5));
        assert_eq!(median(&[5, 5, 1, 9]), Some(5.0));
    }

    fn config(org: &str, training: Option<u8>, admin_mfa: Option<bool>) -> Configuration {
        Configuration {
            schema_version: 1,
            organisation: org.into(),
            operations: Some(Operations {
                training_coverage_percent: training.and_then(Percent::new),
                ..Default::default()
            }),
            administrators: Some(AdministratorAccess {
                admin_mfa,
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    fn org(slug: &str) -> ComparedOrg {
        ComparedOrg {
            slug: slug.into(),
            name: slug.to_uppercase(),
        }
    }

    #[test]
    fn numbers_stand_against_the_median_of_every_readable_configuration_unknowns_left_out() {
        let a = config("a", Some(95), Some(true));
        let b = config("b", Some(70), Some(false));
        let c = config("c", None, Some(true));
        let d = config("d", Some(80), None);
        let e = config("e", Some(90), None);
        // Four recorded values (c records none): the median is (80 + 90) / 2.
        let pool = [a.clone(), b.clone(), c.clone(), d, e];
        let cmp = compare(&[(org("a"), a), (org("b"), b), (org("c"), c)], &pool);
        assert_eq!(cmp.pool, 5);
        let training = cmp
            .settings
            .iter()
            .find(|s| s.id == "training-coverage")
            .unwrap();
        let numbers = training.numbers.as_ref().unwrap();
        assert_eq!(numbers.median, Some(85.0));
        assert_eq!(numbers.recorded, 4);
        assert_eq!(numbers.values, [Some(95), Some(70), None]);
        assert_eq!(
            numbers.standings,
            [Standing::Above, Standing::Below, Standing::Unknown]
        );
        assert_eq!(numbers.scale, 95.0);
        assert_eq!(
            training.values,
            [Some("95 %".into()), Some("70 %".into()), None]
        );
        assert!(training.differs);
        let mfa = cmp.settings.iter().find(|s| s.id == "admin-mfa").unwrap();
        assert_eq!(mfa.numbers, None, "not a number");
        assert_eq!(
            mfa.values,
            [Some("Yes".into()), Some("No".into()), Some("Yes".into())]
        );
    }

    #[test]
    fn facts_line_up_by_section_and_label_and_rows_that_differ_are_marked() {
        let a = config("a", Some(95), Some(true));
        let b = config("b", Some(95), Some(false));
        let cmp = compare(&[(org("a"), a.clone()), (org("b"), b)], &[a]);
        let admins = cmp
            .sections
            .iter()
            .find(|s| s.id == "administrators")
            .unwrap();
        let mfa = admins
            .rows
            .iter()
            .find(|r| r.label == "Multi-factor authentication for administrators")
            .unwrap();
        assert_eq!(mfa.values, [Some("Yes".into()), Some("No".into())]);
        assert!(mfa.differs);
        let ops = cmp.sections.iter().find(|s| s.id == "operations").unwrap();
        let training = ops
            .rows
            .iter()
            .find(|r| r.label.starts_with("Staff trained"))
            .unwrap();
        assert!(!training.differs);
        let users = cmp
            .sections
            .iter()
            .find(|s| s.id == "user-policies")
            .unwrap();
        assert_eq!(
            users.rows[0].values,
            [Some("Not recorded.".into()), Some("Not recorded.".into())]
        );
    }

    #[test]
    fn only_a_value_at_one_place_can_be_copied_and_strings_stay_strings() {
        let a = config("a", Some(93), Some(true));
        let training = Setting::find("training-coverage").unwrap();
        assert_eq!(training.yaml_value(&a).as_deref(), Some("93"));
        assert_eq!(
            Setting::find("admin-mfa")
                .unwrap()
                .yaml_value(&a)
                .as_deref(),
            Some("true")
        );
        assert_eq!(Setting::find("applications").unwrap().yaml_value(&a), None);
        assert_eq!(
            Setting::find("it-ot-separation").unwrap().yaml_value(&a),
            None
        );
    }
}
