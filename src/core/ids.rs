//! Ids: a UUIDv4 from 16 random bytes (the `uuid` crate sets the version and variant bits and
//! writes the text; the bytes come from the host's `crypto.getRandomValues`), and the check that
//! an id a caller passes is a UUID in its canonical text form.

/// The lower-case hyphenated text of the version 4, variant 1 UUID made of `bytes`.
pub fn v4_from_bytes(bytes: [u8; 16]) -> String {
    let mut text = [0u8; uuid::fmt::Hyphenated::LENGTH];
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .hyphenated()
        .encode_lower(&mut text)
        .to_owned()
}

/// True for a UUID in its canonical text form `8-4-4-4-12` hex digits, either case, any version.
/// (Not `uuid::Uuid::try_parse`: it also takes the braced, URN and simple forms, which the API
/// does not.)
pub fn is_uuid(text: &str) -> bool {
    text.len() == 36
        && text.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v4_sets_version_and_variant_bits() {
        let id = v4_from_bytes([0xff; 16]);
        assert_eq!(id, "ffffffff-ffff-4fff-bfff-ffffffffffff");
        let id = v4_from_bytes([0; 16]);
        assert_eq!(id, "00000000-0000-4000-8000-000000000000");
        assert!(is_uuid(&id));
    }

    #[test]
    fn v4_is_lower_case_hyphenated() {
        let id = v4_from_bytes([
            0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45,
            0x67, 0x89,
        ]);
        assert_eq!(id, "abcdef01-2345-4789-abcd-ef0123456789");
    }

    #[test]
    fn is_uuid_accepts_canonical_forms_only() {
        assert!(is_uuid("123E4567-E89B-42D3-A456-426614174000"));
        assert!(is_uuid("123e4567-e89b-12d3-a456-426614174000"));
        assert!(!is_uuid("123e4567e89b42d3a456426614174000"));
        assert!(!is_uuid("{123e4567-e89b-42d3-a456-426614174000}"));
        assert!(!is_uuid("urn:uuid:123e4567-e89b-42d3-a456-426614174000"));
        assert!(!is_uuid("123e4567-e89b-42d3-a456-42661417400"));
        assert!(!is_uuid("123e4567-e89b-42d3-a456-42661417400g"));
        assert!(!is_uuid("not-a-uuid"));
        assert!(!is_uuid(""));
        // Multi-byte characters must not confuse the length check.
        assert!(!is_uuid("123e4567-e89b-42d3-a456-4266141740é"));
    }
}
