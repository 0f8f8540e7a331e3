//! Which words a label may hold, read in one pass: the case-insensitive patterns of
//! the grammar each need one, so a label without it skips their search.

/// A bit per pattern family whose word the label may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Words(u8);

impl Words {
    /// `ca.`, `circa`, `around`, `about`, `approx`, `roughly`, `some time`, `ish`, `~`.
    pub const APPROX: u8 = 1;
    /// `jan` … `dec`, the start of every month name.
    pub const MONTH: u8 = 1 << 1;
    /// `mon` … `sun`, the start of every weekday name.
    pub const WEEKDAY: u8 = 1 << 2;
    /// `next`, `following`, `overnight`.
    pub const NEXT_DAY: u8 = 1 << 3;
    /// `day` (`Day 2`).
    pub const DAY: u8 = 1 << 4;

    /// The words `s` may hold. Only ASCII text is read: elsewhere Unicode case folding
    /// lets other characters match (`ſ` is an `s`), so every pattern may match.
    pub fn of(s: &str) -> Words {
        if !s.is_ascii() {
            return Words(u8::MAX);
        }
        let b = s.as_bytes();
        let at = |i: usize| b.get(i).map_or(0, u8::to_ascii_lowercase);
        let mut bits = 0;
        for i in 0..b.len() {
            bits |= match (at(i), at(i + 1), at(i + 2)) {
                (b'~', ..) | (b'c', b'a', _) => Self::APPROX,
                (b'a', b'r', b'o') | (b'a', b'b', b'o') | (b'a', b'p', b'p') => Self::APPROX,
                (b'r', b'o', b'u') | (b's', b'o', b'm') | (b'i', b's', b'h') => Self::APPROX,
                (b'j', b'a', b'n') | (b'f', b'e', b'b') | (b'm', b'a', b'r' | b'y') => Self::MONTH,
                (b'a', b'p', b'r') | (b'j', b'u', b'n' | b'l') | (b'a', b'u', b'g') => Self::MONTH,
                (b's', b'e', b'p') | (b'o', b'c', b't') | (b'n', b'o', b'v') => Self::MONTH,
                (b'd', b'e', b'c') => Self::MONTH,
                (b'm', b'o', b'n') | (b't', b'u', b'e') | (b'w', b'e', b'd') => Self::WEEKDAY,
                (b't', b'h', b'u') | (b'f', b'r', b'i') => Self::WEEKDAY,
                (b's', b'a', b't') | (b's', b'u', b'n') => Self::WEEKDAY,
                (b'n', b'e', b'x') | (b'f', b'o', b'l') | (b'o', b'v', b'e') => Self::NEXT_DAY,
                (b'd', b'a', b'y') => Self::DAY,
                _ => 0,
            };
        }
        Words(bits)
    }

    /// Whether the label may hold words of family `bit` and of no other.
    pub fn only(self, bit: u8) -> bool {
        self.0 == bit
    }

    /// Whether the label holds no word of any family.
    pub fn none(self) -> bool {
        self.0 == 0
    }

    /// Whether the label may hold a word of family `bit`.
    pub fn may(self, bit: u8) -> bool {
        self.0 & bit != 0
    }
}
