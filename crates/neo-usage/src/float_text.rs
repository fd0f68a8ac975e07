//! [`parse_json_float`]: a JSON number's text as the nearest `f64`
//! (correctly rounded, ties to even), bit for bit as `str::parse::<f64>`
//! and `JSON.parse` read it, without core's 10 kB table.
//!
//! Core's parser finds most results with the Eisel-Lemire algorithm over a
//! table of 650 128-bit powers of five: 10.4 kB of data that brotli cannot
//! shrink, an eighth of the npm package. This one takes Clinger's fast path
//! when the digits make an integer up to 2^53 and the power of ten is exact
//! in an `f64` (one rounding, so correct: every amount with up to 15
//! significant digits and a modest exponent, which is nearly every number
//! the API sends), and otherwise the exact decimal algorithm core itself
//! falls back to (the digits shifted by powers of two until the binary
//! exponent and 53 bits of mantissa are known, then rounded once), with the
//! shifts' digit counts computed instead of looked up. Its tests compare it
//! with core's parser, bit for bit, on 200,000 numbers of every shape.

/// The most significant digits kept; a longer number is marked truncated
/// (which only matters to break a tie), as core does.
const MAX_DIGITS: usize = 768;
/// How far the decimal point may move before the value is 0 or infinite.
const DECIMAL_POINT_RANGE: i32 = 2047;
/// The largest shift by powers of two at a time (the digit arithmetic stays
/// within a `u64`).
const MAX_SHIFT: u32 = 60;
/// Powers of ten exact in an `f64`: 10^0 to 10^22.
const EXACT_POWERS: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// The nearest `f64` to the JSON number `text` (`-?int(.frac)?([eE][+-]?digits)?`),
/// `±inf` beyond `f64::MAX` as `str::parse` gives; `None` when `text` is not a
/// JSON number.
pub(crate) fn parse_json_float(text: &str) -> Option<f64> {
    let number = JsonNumber::parse(text.as_bytes())?;
    let value = match number.fast_path() {
        Some(value) => value,
        None => Decimal::of(&number).into_f64(),
    };
    Some(if number.negative { -value } else { value })
}

/// A JSON number's parts: `-int.frac × 10^exponent`.
struct JsonNumber<'a> {
    negative: bool,
    int: &'a [u8],
    frac: &'a [u8],
    exponent: i32,
}

impl<'a> JsonNumber<'a> {
    /// Splits `text` by the JSON grammar; `None` when it does not match.
    fn parse(text: &'a [u8]) -> Option<Self> {
        let (negative, rest) = match text.split_first() {
            Some((b'-', rest)) => (true, rest),
            _ => (false, text),
        };
        let (int, rest) = rest.split_at(digit_run(rest));
        if int.is_empty() || (int.len() > 1 && int[0] == b'0') {
            return None;
        }
        let (frac, rest) = match rest.split_first() {
            Some((b'.', after)) if digit_run(after) > 0 => after.split_at(digit_run(after)),
            Some((b'.', _)) => return None,
            _ => (&rest[..0], rest),
        };
        let exponent = match rest.split_first() {
            None => 0,
            Some((b'e' | b'E', after)) => exponent(after)?,
            Some(_) => return None,
        };
        Some(JsonNumber {
            negative,
            int,
            frac,
            exponent,
        })
    }

    /// Clinger's fast path, without allocating: at most 19 significant
    /// digits making an integer up to 2^53, and a power of ten exact in an
    /// `f64` (up to 10^22), so one multiplication or division rounds once,
    /// correctly.
    fn fast_path(&self) -> Option<f64> {
        let digits = self
            .int
            .iter()
            .chain(self.frac)
            .map(|b| u64::from(b - b'0'));
        let leading = digits.clone().take_while(|&d| d == 0).count();
        let significant = self.int.len() + self.frac.len() - leading;
        if significant == 0 {
            return Some(0.0);
        }
        if significant > 19 {
            return None;
        }
        let mantissa = digits.skip(leading).fold(0u64, |n, d| n * 10 + d);
        if mantissa > 1 << 53 {
            return None;
        }
        // value = mantissa × 10^power
        let power = i64::from(self.exponent) - self.frac.len() as i64;
        let exact = EXACT_POWERS.get(usize::try_from(power.unsigned_abs()).ok()?)?;
        Some(if power >= 0 {
            mantissa as f64 * exact
        } else {
            mantissa as f64 / exact
        })
    }
}

/// The length of the run of ASCII digits `b` starts with.
fn digit_run(b: &[u8]) -> usize {
    b.iter().take_while(|b| b.is_ascii_digit()).count()
}

/// A non-negative decimal `0.d1d2d3… × 10^decimal_point`, digits without
/// leading or trailing zeros.
struct Decimal {
    digits: Vec<u8>,
    decimal_point: i32,
    /// Nonzero digits were dropped past [`MAX_DIGITS`].
    truncated: bool,
}

impl Decimal {
    /// The number's magnitude as a decimal, normalised.
    fn of(number: &JsonNumber<'_>) -> Decimal {
        let (int, frac, exponent) = (number.int, number.frac, number.exponent);
        let all = int.iter().chain(frac).map(|b| b - b'0');
        let leading = all.clone().take_while(|&d| d == 0).count();
        let mut digits: Vec<u8> = all.skip(leading).collect();
        while digits.last() == Some(&0) {
            digits.pop();
        }
        // At most 2^31 digits fit a JSON text here; clamped all the same.
        let int_len = i32::try_from(int.len()).unwrap_or(i32::MAX);
        let leading = i32::try_from(leading).unwrap_or(i32::MAX);
        let truncated = digits.len() > MAX_DIGITS;
        digits.truncate(MAX_DIGITS);
        Decimal {
            decimal_point: int_len.saturating_sub(leading).saturating_add(exponent),
            digits,
            truncated,
        }
    }

    /// The exact conversion: shifts the decimal by powers of two until it
    /// lies in [1/2, 1), counting them into the binary exponent, then reads
    /// 53 bits of mantissa and rounds once (core's `parse_long_mantissa`).
    fn into_f64(mut self) -> f64 {
        const MIN_EXPONENT: i32 = -1023;
        const INFINITE_POWER: i32 = 0x7FF;
        const MANTISSA_BITS: u32 = 52;
        if self.digits.is_empty() || self.decimal_point < -324 {
            return 0.0;
        }
        if self.decimal_point >= 310 {
            return f64::INFINITY;
        }
        let mut exp2 = 0i32;
        while self.decimal_point > 0 {
            let shift = shift_for(self.decimal_point);
            self.right_shift(shift);
            if self.decimal_point < -DECIMAL_POINT_RANGE {
                return 0.0;
            }
            exp2 += shift as i32;
        }
        while self.decimal_point <= 0 {
            let shift = match (self.decimal_point, self.digits[0]) {
                (0, 5..) => break,
                (0, 0 | 1) => 2,
                (0, _) => 1,
                (point, _) => shift_for(-point),
            };
            self.left_shift(shift);
            if self.decimal_point > DECIMAL_POINT_RANGE {
                return f64::INFINITY;
            }
            exp2 -= shift as i32;
        }
        // Now 1/2 <= value < 1: value = 0.1xxx (binary) × 2^(exp2 + 1).
        exp2 -= 1;
        while MIN_EXPONENT + 1 > exp2 {
            let shift = ((MIN_EXPONENT + 1 - exp2) as u32).min(MAX_SHIFT);
            self.right_shift(shift);
            exp2 += shift as i32;
        }
        if exp2 - MIN_EXPONENT >= INFINITE_POWER {
            return f64::INFINITY;
        }
        self.left_shift(MANTISSA_BITS + 1);
        let mut mantissa = self.round();
        if mantissa >= 1 << (MANTISSA_BITS + 1) {
            // Rounding carried into a new bit.
            self.right_shift(1);
            exp2 += 1;
            mantissa = self.round();
            if exp2 - MIN_EXPONENT >= INFINITE_POWER {
                return f64::INFINITY;
            }
        }
        let mut power2 = exp2 - MIN_EXPONENT;
        if mantissa < 1 << MANTISSA_BITS {
            // Subnormal.
            power2 -= 1;
        }
        let bits = (mantissa & ((1 << MANTISSA_BITS) - 1)) | ((power2 as u64) << MANTISSA_BITS);
        f64::from_bits(bits)
    }

    /// The integer part, rounded half to even (a tie broken up when digits
    /// were dropped).
    fn round(&self) -> u64 {
        if self.digits.is_empty() || self.decimal_point < 0 {
            return 0;
        }
        if self.decimal_point > 18 {
            return u64::MAX;
        }
        let point = self.decimal_point as usize;
        let digit = |i: usize| u64::from(self.digits.get(i).copied().unwrap_or(0));
        let n = (0..point).fold(0u64, |n, i| n * 10 + digit(i));
        let round_up = match self.digits.get(point) {
            Some(5) if point + 1 == self.digits.len() => {
                self.truncated || (point > 0 && digit(point - 1) % 2 == 1)
            }
            Some(&d) => d >= 5,
            None => false,
        };
        n + u64::from(round_up)
    }

    /// Divides by 2^shift (`shift <= MAX_SHIFT`).
    fn right_shift(&mut self, shift: u32) {
        let mask = (1u64 << shift) - 1;
        let mut read = 0;
        let mut n = 0u64;
        // Reads digits until the quotient's first digit is known.
        while n >> shift == 0 {
            if let Some(&d) = self.digits.get(read) {
                n = 10 * n + u64::from(d);
            } else if n == 0 {
                return;
            } else {
                n *= 10;
            }
            read += 1;
        }
        self.decimal_point -= read as i32 - 1;
        if self.decimal_point < -DECIMAL_POINT_RANGE {
            self.digits.clear();
            self.decimal_point = 0;
            self.truncated = false;
            return;
        }
        let mut out = Vec::with_capacity(self.digits.len() + 1);
        for &d in self.digits.get(read..).unwrap_or(&[]) {
            out.push((n >> shift) as u8);
            n = 10 * (n & mask) + u64::from(d);
        }
        while n > 0 {
            let digit = (n >> shift) as u8;
            n = 10 * (n & mask);
            if out.len() < MAX_DIGITS {
                out.push(digit);
            } else if digit > 0 {
                self.truncated = true;
            }
        }
        self.set_digits(out);
    }

    /// Multiplies by 2^shift (`shift <= MAX_SHIFT`), from the last digit to
    /// the first; the product's length says how far the point moves.
    fn left_shift(&mut self, shift: u32) {
        let mut reversed = Vec::with_capacity(self.digits.len() + 20);
        let mut n = 0u64;
        for &d in self.digits.iter().rev() {
            n += u64::from(d) << shift;
            reversed.push((n % 10) as u8);
            n /= 10;
        }
        while n > 0 {
            reversed.push((n % 10) as u8);
            n /= 10;
        }
        self.decimal_point += (reversed.len() - self.digits.len()) as i32;
        let dropped = reversed.len().saturating_sub(MAX_DIGITS);
        if reversed[..dropped].iter().any(|&d| d != 0) {
            self.truncated = true;
        }
        reversed.drain(..dropped);
        reversed.reverse();
        self.set_digits(reversed);
    }

    /// Takes `digits` (no leading zero), without their trailing zeros.
    fn set_digits(&mut self, mut digits: Vec<u8>) {
        while digits.last() == Some(&0) {
            digits.pop();
        }
        self.digits = digits;
    }
}

/// A shift by 2^n that moves the decimal point by about `point` places,
/// within [`MAX_SHIFT`] (`⌊log2(10^point)⌋`, core's table of the same).
fn shift_for(point: i32) -> u32 {
    // log2(10) ≈ 3.3219: 10^n has ⌊n × 3.3219⌋ + 1 bits.
    let n = point.unsigned_abs();
    if n >= 19 {
        MAX_SHIFT
    } else {
        n * 33_219 / 10_000
    }
}

/// A JSON exponent (`[+-]?digits`), saturated far beyond any `f64`'s reach.
fn exponent(text: &[u8]) -> Option<i32> {
    let (negative, digits) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let magnitude = digits
        .iter()
        .fold(0i32, |n, &d| (n * 10 + i32::from(d - b'0')).min(0x10000));
    Some(if negative { -magnitude } else { magnitude })
}

#[cfg(test)]
mod tests {
    use super::parse_json_float;
    use crate::test_bodies::Draw;

    /// Compares with core's parser, bit for bit (signs of zero included).
    fn agrees(text: &str) {
        let ours = parse_json_float(text).unwrap_or_else(|| panic!("refused {text}"));
        let core: f64 = text.parse().unwrap();
        assert_eq!(
            ours.to_bits(),
            core.to_bits(),
            "{text}: ours {ours:e}, core {core:e}"
        );
    }

    #[test]
    fn hard_cases_read_as_core_reads_them() {
        let cases = [
            "0",
            "-0",
            "0.0",
            "-0.0e5",
            "1",
            "0.1",
            "0.30000000000000004",
            "123456.7891",
            "9007199254740993",
            "9007199254740992.5",
            "1e22",
            "1e23",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.7976931348623159e308",
            "1e309",
            "-1e400",
            "4.9e-324",
            "2.4703282292062327e-324",
            "2.4703282292062328e-324",
            "2.2250738585072011e-308",
            "2.2250738585072014e-308",
            "1e-400",
            "0.000000000000000000000000000001",
            "7.2057594037927933e16",
            "2.0000000000000004",
            "123456789012345678901234567890",
            "0.1234567890123456789",
            "3.0517578125e-05",
            "8.98846567431158e307",
            "1e0000000000000",
            "1E+2",
            "1e-2",
            "100000000000000000000000000000000000000000e-40",
        ];
        for text in cases {
            agrees(text);
        }
        // A tie decided only by a digit past the 768 kept.
        let tie = format!("9007199254740993{}1", "0".repeat(800));
        agrees(&tie);
        agrees(&format!("9007199254740993{}", "0".repeat(800)));
        agrees(&format!("0.{}1e320", "0".repeat(700)));
    }

    #[test]
    fn what_is_not_a_json_number_is_refused() {
        for text in [
            "", "-", "01", "1.", ".5", "1e", "1e+", "+1", "1x", "--1", "0x10", "1.5.2", "inf",
            "NaN",
        ] {
            assert_eq!(parse_json_float(text), None, "{text}");
        }
    }

    /// Random numbers of every shape: short and long mantissas, exponents
    /// across the whole range, halfway points between neighbouring floats.
    #[test]
    fn random_numbers_read_as_core_reads_them() {
        let mut rng = Draw(0x9e37_79b9_7f4a_7c15);
        let mut draw = move || rng.next();
        for i in 0..200_000 {
            let text = match i % 30 {
                // Any float, printed shortest, then nudged by one digit.
                0 | 2..=15 => {
                    let value = f64::from_bits(draw() & !(1 << 63));
                    if !value.is_finite() {
                        continue;
                    }
                    let text = format!("{value:e}");
                    if draw() % 2 == 0 {
                        text
                    } else {
                        nudge(&text, draw())
                    }
                }
                // The exact halfway point between two neighbouring floats.
                1 => {
                    let value = f64::from_bits(draw() % 0x7fe0_0000_0000_0000);
                    halfway(value)
                }
                // A value of a usual size, printed shortest (as serde_json
                // and JSON.stringify write amounts: `0.30000000000000004`).
                16..=20 => {
                    let unit = (draw() >> 11) as f64 / (1u64 << 53) as f64;
                    format!("{}", unit * 10f64.powi((draw() % 12) as i32))
                }
                // An amount of ten-thousandths, as the reference server writes.
                21..=23 => format!("{}.{:04}", draw() % 1_000_000, draw() % 10_000),
                // Random digits and exponent.
                _ => {
                    let digits: String = (0..1 + draw() % 40)
                        .map(|_| char::from(b'0' + (draw() % 10) as u8))
                        .collect();
                    let digits = digits.trim_start_matches('0');
                    let digits = if digits.is_empty() { "0" } else { digits };
                    format!("{digits}e{}", (draw() % 700) as i64 - 360)
                }
            };
            agrees(&text);
        }
    }

    /// `text` (`d.ddde±x`) with its last mantissa digit changed.
    fn nudge(text: &str, r: u64) -> String {
        let (mantissa, exp) = text.split_once('e').unwrap();
        let mut m: Vec<u8> = mantissa.bytes().collect();
        let last = m.len() - 1;
        if m[last].is_ascii_digit() {
            m[last] = b'0' + (r % 10) as u8;
        }
        format!("{}e{exp}", String::from_utf8(m).unwrap())
    }

    /// The exact decimal value halfway between `value` and the next float
    /// up: `(2m + 1) × 2^(e - 1)` written out in full.
    fn halfway(value: f64) -> String {
        let bits = value.to_bits();
        let (exp, frac) = ((bits >> 52) as i32, bits & ((1 << 52) - 1));
        let (m, e) = if exp == 0 {
            (frac, -1074)
        } else {
            (frac | (1 << 52), exp - 1075)
        };
        // (2m + 1) × 2^(e - 1) = (2m + 1) × 5^(1 - e) / 10^(1 - e) when e < 1.
        let mut digits = vec![0u32];
        let mut add_mul = |mul: u32, add: u32| {
            let mut carry = u64::from(add);
            for d in digits.iter_mut() {
                let n = u64::from(*d) * u64::from(mul) + carry;
                *d = (n % 1_000_000_000) as u32;
                carry = n / 1_000_000_000;
            }
            while carry > 0 {
                digits.push((carry % 1_000_000_000) as u32);
                carry /= 1_000_000_000;
            }
        };
        let odd = 2 * m + 1;
        add_mul(1, (odd >> 32) as u32);
        add_mul(1 << 16, 0);
        add_mul(1 << 16, (odd & 0xffff_ffff) as u32);
        let power = 1 - e;
        let (base, chunk, times) = match power > 0 {
            true => (5u32, 5u32.pow(13), power),
            false => (2, 1 << 13, -power),
        };
        for _ in 0..times / 13 {
            add_mul(chunk, 0);
        }
        for _ in 0..times % 13 {
            add_mul(base, 0);
        }
        let mut text = digits.last().unwrap().to_string();
        for d in digits.iter().rev().skip(1) {
            text.push_str(&format!("{d:09}"));
        }
        format!("{text}e{}", -power.max(0))
    }
}
