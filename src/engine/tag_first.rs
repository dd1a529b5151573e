//! Decoding of internally tagged enums (`{"type": "X", ...fields}`) without serde's buffering.
//!
//! serde's derived decoder for `#[serde(tag = "…")]` reads the whole object into its private
//! `Content` tree before it looks at the tag, then decodes the variant from that tree: every
//! variant's fields, and every type nested in them, is compiled once more for that tree, for each
//! format. That code was the largest part of the worker's wasm (BENCHMARKS.md, "Third pass:
//! the deserialisers"). Every object these enums decode was written by their own derived
//! `Serialize`, which writes the tag first, so [`tag_first_enum!`] decodes the tag first and then
//! the remaining fields straight from the input, through an externally tagged twin of the enum
//! (same variants, same field attributes) generated from the same declaration.
//!
//! The wire format is unchanged (the enum keeps its derived `Serialize` and JSON Schema). What
//! is refused that serde's tagged decoder accepted: an object whose tag is not its first key,
//! and the array form `["X", field, …]`; neither is ever written.

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, VariantAccess, Visitor,
};
use std::fmt;
use std::marker::PhantomData;

/// Decodes an object whose first key is `tag` as `R`, an externally tagged enum whose variants are
/// the tag's values (struct or unit variants).
pub fn deserialize<'de, D, R>(d: D, tag: &'static str) -> Result<R, D::Error>
where
    D: Deserializer<'de>,
    R: de::Deserialize<'de>,
{
    d.deserialize_map(TagFirstVisitor {
        tag,
        out: PhantomData,
    })
}

struct TagFirstVisitor<R> {
    tag: &'static str,
    out: PhantomData<R>,
}

impl<'de, R: de::Deserialize<'de>> Visitor<'de> for TagFirstVisitor<R> {
    type Value = R;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object whose first field is `{}`", self.tag)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<R, A::Error> {
        match map.next_key::<String>()? {
            Some(k) if k == self.tag => {}
            Some(_) => {
                return Err(de::Error::custom(format_args!(
                    "`{}` must be the first field",
                    self.tag
                )))
            }
            None => return Err(de::Error::missing_field(self.tag)),
        }
        let variant: String = map.next_value()?;
        R::deserialize(Rest { variant, map })
    }
}

/// The rest of the object once its tag is read: the variant name and the remaining fields.
struct Rest<A> {
    variant: String,
    map: A,
}

impl<'de, A: MapAccess<'de>> Deserializer<'de> for Rest<A> {
    type Error = A::Error;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, A::Error> {
        v.visit_enum(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

impl<'de, A: MapAccess<'de>> EnumAccess<'de> for Rest<A> {
    type Error = A::Error;
    type Variant = Self;

    fn variant_seed<S: DeserializeSeed<'de>>(
        mut self,
        seed: S,
    ) -> Result<(S::Value, Self), A::Error> {
        let name = std::mem::take(&mut self.variant);
        let v = seed.deserialize(de::value::StringDeserializer::<A::Error>::new(name))?;
        Ok((v, self))
    }
}

impl<'de, A: MapAccess<'de>> VariantAccess<'de> for Rest<A> {
    type Error = A::Error;

    fn unit_variant(mut self) -> Result<(), A::Error> {
        // Like serde's tagged decoder, other fields of a unit variant are ignored.
        while self
            .map
            .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
            .is_some()
        {}
        Ok(())
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, _: S) -> Result<S::Value, A::Error> {
        Err(de::Error::custom("newtype variants are not tag-first"))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value, A::Error> {
        Err(de::Error::custom("tuple variants are not tag-first"))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, A::Error> {
        v.visit_map(self.map)
    }
}

/// Declares an internally tagged enum whose variants are all struct variants, with its derived
/// `Serialize` (and any other derives and attributes given, which must include the
/// `#[serde(tag = …)]`), and a `Deserialize` that reads the tag first (see the module
/// documentation): `tag = "type", twin = FactTwin, twin_serde(rename_all = …);` then the enum.
/// `twin_serde` repeats the enum's serde attributes other than `tag`.
macro_rules! tag_first_enum {
    (
        tag = $tag:literal, twin = $twin:ident, twin_serde($($twin_serde:tt)*);
        $(#[$meta:meta])*
        pub enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident {
                    $( $(#[$fmeta:meta])* $field:ident : $ty:ty ),* $(,)?
                }
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        pub enum $name {
            $(
                $(#[$vmeta])*
                $variant { $( $(#[$fmeta])* $field : $ty ),* },
            )*
        }

        /// The externally tagged twin the tag-first decoder reads the fields into.
        #[derive(serde::Deserialize)]
        #[serde($($twin_serde)*)]
        enum $twin {
            $(
                $(#[$vmeta])*
                $variant { $( $(#[$fmeta])* $field : $ty ),* },
            )*
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let twin: $twin = $crate::engine::tag_first::deserialize(d, $tag)?;
                Ok(match twin {
                    $( $twin::$variant { $($field),* } => $name::$variant { $($field),* }, )*
                })
            }
        }
    };
}
pub(crate) use tag_first_enum;

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    tag_first_enum! {
        tag = "kind", twin = ShapeTwin, twin_serde(rename_all = "SCREAMING_SNAKE_CASE", rename_all_fields = "camelCase");
        #[derive(Debug, PartialEq, Serialize)]
        #[serde(tag = "kind", rename_all = "SCREAMING_SNAKE_CASE", rename_all_fields = "camelCase")]
        pub enum Shape {
            Circle { radius_mm: u32, #[serde(default)] label: Option<String> },
            Empty {},
        }
    }

    /// The same enum with serde's own tagged decoder, to compare against.
    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(
        tag = "kind",
        rename_all = "SCREAMING_SNAKE_CASE",
        rename_all_fields = "camelCase"
    )]
    enum Serde {
        Circle {
            radius_mm: u32,
            #[serde(default)]
            label: Option<String>,
        },
        Empty {},
    }

    fn both(text: &str) -> (Result<Shape, String>, Result<Serde, String>) {
        (
            serde_json::from_str(text).map_err(|e| e.to_string()),
            serde_json::from_str(text).map_err(|e| e.to_string()),
        )
    }

    #[test]
    fn decodes_what_serialize_writes_in_json_and_cbor() {
        for s in [
            Shape::Circle {
                radius_mm: 3,
                label: None,
            },
            Shape::Circle {
                radius_mm: 0,
                label: Some("a".into()),
            },
            Shape::Empty {},
        ] {
            let text = serde_json::to_string(&s).unwrap();
            assert_eq!(serde_json::from_str::<Shape>(&text).unwrap(), s, "{text}");
            let mut cbor = Vec::new();
            ciborium::into_writer(&s, &mut cbor).unwrap();
            assert_eq!(ciborium::from_reader::<Shape, &[u8]>(&cbor).unwrap(), s);
            let list = serde_json::to_string(&vec![&s, &s]).unwrap();
            assert_eq!(serde_json::from_str::<Vec<Shape>>(&list).unwrap().len(), 2);
        }
    }

    #[test]
    fn errors_match_serdes_tagged_decoder() {
        for text in [
            r#"{"kind":"SQUARE","radiusMm":1}"#,
            r#"{"kind":"CIRCLE"}"#,
            r#"{"kind":"CIRCLE","radiusMm":-1}"#,
            r#"{"kind":"CIRCLE","radiusMm":"1"}"#,
        ] {
            let (ours, serde) = both(text);
            let (ours, serde) = (ours.unwrap_err(), serde.unwrap_err());
            // Same message; serde's buffered decoder cannot say where in the text it failed.
            assert!(ours.starts_with(&serde), "{text}: {ours} vs {serde}");
        }
        // Extra fields are ignored, as before.
        let (ours, serde) = both(r#"{"kind":"CIRCLE","radiusMm":1,"x":[1,{"y":2}]}"#);
        assert_eq!(
            ours.unwrap(),
            Shape::Circle {
                radius_mm: 1,
                label: None
            }
        );
        assert!(serde.is_ok());
    }

    #[test]
    fn refuses_a_tag_that_is_not_first_and_bad_shapes() {
        for text in [
            r#"{"radiusMm":1,"kind":"CIRCLE"}"#,
            r#"{}"#,
            r#"["CIRCLE",1,null]"#,
            r#"{"kind":3}"#,
            r#""CIRCLE""#,
            r#"null"#,
        ] {
            assert!(serde_json::from_str::<Shape>(text).is_err(), "{text}");
        }
    }
}
