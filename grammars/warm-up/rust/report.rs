// Ananke grammar warm-up text: original code, not part of the build.

/// Builds a `Vec<(String, String)>` of labelled fields.
macro_rules! fields {
    ($($name:ident => $value:expr),* $(,)?) => {
        vec![$((stringify!($name).to_string(), format!("{}", $value))),*]
    };
}

pub mod render {
    pub trait Render {
        const HEADER: &'static str;
        type Row;

        fn row(&self, row: &Self::Row) -> String;

        fn table(&self, rows: &[Self::Row]) -> String {
            let mut out = String::from(Self::HEADER);
            for r in rows {
                out.push('\n');
                out += &self.row(r);
            }
            out
        }
    }

    pub(crate) struct Csv {
        pub(crate) delimiter: char,
    }

    impl Render for Csv {
        const HEADER: &'static str = "field,value";
        type Row = (String, String);

        fn row(&self, (k, v): &Self::Row) -> String {
            let needs_quotes = v.contains(self.delimiter) || v.contains('"');
            if needs_quotes {
                format!("{k}{}\"{}\"", self.delimiter, v.replace('"', "\"\""))
            } else {
                format!("{k}{}{v}", self.delimiter)
            }
        }
    }
}

use render::{Csv, Render};

pub fn summary(name: &str, count: usize, ratio: f32) -> String {
    let rows = fields! {
        name => name,
        count => count,
        ratio => format_args!("{:.1}%", ratio * 100.0),
    };
    let csv = Csv { delimiter: ',' };
    let text = csv.table(&rows);
    if cfg!(debug_assertions) {
        println!("rendered {} rows", rows.len());
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_quoted_values() {
        let out = summary("a, \"b\"", 3, 0.25);
        assert_eq!(
            out,
            "field,value\nname,\"a, \"\"b\"\"\"\ncount,3\nratio,25.0%"
        );
    }
}
