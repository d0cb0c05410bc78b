//! Instants are stored as microseconds since the Unix epoch (UTC).

use jiff::Timestamp;

pub fn to_micros(t: Timestamp) -> i64 {
    t.as_microsecond()
}

pub fn from_micros(us: i64) -> Timestamp {
    Timestamp::from_microsecond(us).unwrap_or(Timestamp::UNIX_EPOCH)
}

pub fn now_micros() -> i64 {
    to_micros(Timestamp::now())
}
