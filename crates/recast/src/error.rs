//! The errors of the library that are not about the data: a usage error says the
//! options asked for something that cannot work.

/// Options that cannot work together: a bad value, options that contradict each other,
/// an option that cannot take effect. A command line maps it to exit code 2, like its
/// flag parser's own errors; everything else about the data exits 1 and I/O 3.
///
/// It travels inside [`anyhow::Error`]; find it with `error.chain()` and `is::<UsageError>()`.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// A usage error with this message.
pub fn usage(message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(UsageError(message.into()))
}

/// Returns early with a usage error: `usage_bail!("--diff needs --dry-run")`.
macro_rules! usage_bail {
    ($($arg:tt)*) => {
        return Err($crate::error::usage(format!($($arg)*)))
    };
}
pub(crate) use usage_bail;
