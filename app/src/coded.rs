//! Enums with stable codes: the text stored in columns, front matter and forms. Each enum declared
//! with [`coded_enum!`] gets its codes, labels, a parser that names the allowed values, serde by
//! code, and (on the server) database encoding that refuses an unknown stored value loudly
//! instead of falling back to a default, and a JSON Schema listing the codes.

/// An enum whose values are stored and exchanged as stable codes.
pub trait Coded: Sized + Copy + 'static {
    /// What the value is called in messages ("visibility", "role").
    const WHAT: &'static str;
    /// Every value, in declaration order.
    fn all() -> &'static [Self];
    /// The stored code.
    fn code(self) -> &'static str;

    /// The value with this exact code.
    fn from_code(code: &str) -> Option<Self> {
        Self::all().iter().copied().find(|v| v.code() == code)
    }

    /// Parses a code typed by a person (surrounding spaces ignored), naming the allowed codes
    /// when it is not one.
    fn parse(text: &str) -> Result<Self, String> {
        Self::from_code(text.trim()).ok_or_else(|| {
            let codes: Vec<&str> = Self::all().iter().map(|v| v.code()).collect();
            format!(
                "unknown {} {text:?}: expected one of {}",
                Self::WHAT,
                codes.join(", ")
            )
        })
    }
}

/// Declares an enum with a stable code and a label per value:
///
/// ```ignore
/// coded_enum! {
///     /// Who may read a published document.
///     pub enum Visibility ("visibility") {
///         /// Anyone, signed in or not.
///         Public = "public", "Public";
///     }
/// }
/// ```
#[macro_export]
macro_rules! coded_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident ($what:literal) {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal, $label:literal; )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored code.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }

            /// What people read.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }

            /// Parses a code, naming the allowed ones when it is not one.
            pub fn parse(text: &str) -> Result<Self, String> {
                <Self as $crate::coded::Coded>::parse(text)
            }
        }

        impl $crate::coded::Coded for $name {
            const WHAT: &'static str = $what;
            fn all() -> &'static [Self] {
                Self::ALL
            }
            fn code(self) -> &'static str {
                self.as_str()
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(d)?;
                <Self as $crate::coded::Coded>::from_code(&text).ok_or_else(|| {
                    ::serde::de::Error::custom(
                        <Self as $crate::coded::Coded>::parse(&text).unwrap_err(),
                    )
                })
            }
        }

        $crate::coded_sql!($name);
        $crate::coded_schema!($name, $what);
    };
}

/// Database encoding for a [`Coded`] enum: stored as its code; an unknown stored code is an error.
#[cfg(feature = "ssr")]
#[macro_export]
#[doc(hidden)]
macro_rules! coded_sql {
    ($name:ident) => {
        impl ::sqlx::Type<::sqlx::Any> for $name {
            fn type_info() -> ::sqlx::any::AnyTypeInfo {
                <str as ::sqlx::Type<::sqlx::Any>>::type_info()
            }
        }

        impl<'q> ::sqlx::Encode<'q, ::sqlx::Any> for $name {
            fn encode_by_ref(
                &self,
                buf: &mut <::sqlx::Any as ::sqlx::Database>::ArgumentBuffer<'q>,
            ) -> Result<::sqlx::encode::IsNull, ::sqlx::error::BoxDynError> {
                <&str as ::sqlx::Encode<'q, ::sqlx::Any>>::encode(self.as_str(), buf)
            }
        }

        impl<'r> ::sqlx::Decode<'r, ::sqlx::Any> for $name {
            fn decode(
                value: <::sqlx::Any as ::sqlx::Database>::ValueRef<'r>,
            ) -> Result<Self, ::sqlx::error::BoxDynError> {
                let text = <String as ::sqlx::Decode<'r, ::sqlx::Any>>::decode(value)?;
                <Self as $crate::coded::Coded>::from_code(&text).ok_or_else(|| {
                    format!(
                        "stored {} {text:?} is not one this version knows",
                        <Self as $crate::coded::Coded>::WHAT
                    )
                    .into()
                })
            }
        }
    };
}

#[cfg(not(feature = "ssr"))]
#[macro_export]
#[doc(hidden)]
macro_rules! coded_sql {
    ($name:ident) => {};
}

/// JSON Schema for a [`Coded`] enum (schemas are made on the server): a string, one of the codes.
#[cfg(feature = "ssr")]
#[macro_export]
#[doc(hidden)]
macro_rules! coded_schema {
    ($name:ident, $what:literal) => {
        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                let codes: Vec<&str> = $name::ALL.iter().map(|v| v.as_str()).collect();
                ::schemars::json_schema!({
                    "type": "string",
                    "enum": codes,
                    "title": $what
                })
            }
        }
    };
}

#[cfg(not(feature = "ssr"))]
#[macro_export]
#[doc(hidden)]
macro_rules! coded_schema {
    ($name:ident, $what:literal) => {};
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::Coded;

    crate::coded_enum! {
        /// A test enum.
        enum Colour ("colour") {
            Red = "red", "Red";
            DarkBlue = "dark-blue", "Dark blue";
        }
    }

    #[test]
    fn codes_round_trip_and_unknown_codes_name_the_allowed_ones() {
        assert_eq!(Colour::parse(" dark-blue "), Ok(Colour::DarkBlue));
        assert_eq!(
            Colour::parse("green").unwrap_err(),
            "unknown colour \"green\": expected one of red, dark-blue"
        );
        assert_eq!(Colour::from_code("Red"), None, "codes are exact");
        assert_eq!(Colour::DarkBlue.label(), "Dark blue");
        let json = serde_json::to_string(&Colour::DarkBlue).unwrap();
        assert_eq!(json, "\"dark-blue\"");
        assert_eq!(
            serde_json::from_str::<Colour>(&json).unwrap(),
            Colour::DarkBlue
        );
        assert!(serde_json::from_str::<Colour>("\"pink\"")
            .unwrap_err()
            .to_string()
            .contains("expected one of red, dark-blue"));
    }

    #[test]
    fn the_schema_lists_the_codes() {
        let schema = schemars::schema_for!(Colour).to_value();
        assert_eq!(schema["type"], "string");
        assert_eq!(schema["enum"], serde_json::json!(["red", "dark-blue"]));
    }

    #[tokio::test]
    async fn an_unknown_stored_code_is_an_error_not_a_default() {
        let db = crate::db::Db::connect("sqlite::memory:").await.unwrap();
        let ok: Colour = sqlx::query_scalar("SELECT 'red'")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(ok, Colour::Red);
        let err = sqlx::query_scalar::<_, Colour>("SELECT 'green'")
            .fetch_one(db.pool())
            .await
            .unwrap_err();
        assert!(err.to_string().contains("stored colour \"green\""), "{err}");
    }
}
