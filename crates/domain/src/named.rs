//! `named!`: an enum whose every value has one stored (and API) name, the way Loket keeps
//! statuses, kinds and causes in the database and in JSON. Exported for the crates around the
//! domain that name values of their own (the monitor's failure causes).

/// An enum with `ALL`, `name()`, `parse()`, `names()` and `Display` by the given names; serde
/// uses the same names (the calling crate depends on `serde`).
#[macro_export]
macro_rules! named {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The one stored (and API) name.
            pub fn name(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(s: &str) -> Option<$name> {
                match s.trim() { $($text => Some($name::$variant),)+ _ => None }
            }

            /// The accepted names, for an error message.
            pub fn names() -> String {
                [$($text),+].join(", ")
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}
