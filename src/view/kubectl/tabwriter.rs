//! A port of Go's `text/tabwriter`, the column aligner behind every kubectl and eksctl table.
//!
//! Text is written with `\t` ending each cell and `\n` ending each line. A column is a run of
//! consecutive lines that all have a cell in that column; each run gets its own width (the
//! widest cell plus padding), and columns to the right are aligned only within the run of
//! the column to their left. The text after a line's last tab is not part of any column and
//! is never padded. kubectl describe relies on these block rules: a line without a tab ends
//! every block, which is why `Labels:` values line up with `Name:` but the `Containers:`
//! section starts a new alignment.

/// The parameters of a `tabwriter.Writer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TabWriter {
    /// Minimal cell width, padding included.
    pub min_width: usize,
    /// Width of a tab character, used when padding with tabs.
    pub tab_width: usize,
    /// Added to the widest cell of a column.
    pub padding: usize,
    /// `' '` pads with spaces; `'\t'` pads with tabs up to the next tab stop.
    pub pad_char: char,
}

impl TabWriter {
    /// `kubectl get`: `printers.GetNewTabWriter` (min width 6, tab width 4, padding 3, spaces).
    pub const KUBECTL_GET: TabWriter = TabWriter {
        min_width: 6,
        tab_width: 4,
        padding: 3,
        pad_char: ' ',
    };

    /// `kubectl describe`: `tabwriter.NewWriter(out, 0, 8, 2, ' ', 0)`.
    pub const KUBECTL_DESCRIBE: TabWriter = TabWriter {
        min_width: 0,
        tab_width: 8,
        padding: 2,
        pad_char: ' ',
    };

    /// eksctl's tables (kops `tables.Table`): `w.Init(out, 0, 8, 1, '\t', StripEscape)`.
    pub const EKSCTL: TabWriter = TabWriter {
        min_width: 0,
        tab_width: 8,
        padding: 1,
        pad_char: '\t',
    };

    /// Aligns `text` as the Go writer would after a final `Flush`.
    pub fn format(&self, text: &str) -> String {
        let (body, trailing_newline) = match text.strip_suffix('\n') {
            Some(b) => (b, true),
            None => (text, false),
        };
        let lines: Vec<Vec<&str>> = body.split('\n').map(|l| l.split('\t').collect()).collect();
        let mut out = String::with_capacity(text.len() * 2);
        let mut widths = Vec::new();
        self.format_block(&lines, &mut widths, 0, lines.len(), &mut out);
        if !trailing_newline {
            out.pop();
        }
        out
    }

    fn format_block(
        &self,
        lines: &[Vec<&str>],
        widths: &mut Vec<usize>,
        mut from: usize,
        to: usize,
        out: &mut String,
    ) {
        let column = widths.len();
        let mut this = from;
        while this < to {
            if column + 1 >= lines[this].len() {
                this += 1;
                continue;
            }
            // A cell exists in this column: print the lines before the block, then measure it.
            self.write_lines(lines, widths, from, this, out);
            from = this;
            let mut width = self.min_width;
            while this < to && column + 1 < lines[this].len() {
                width = width.max(cell_width(lines[this][column]) + self.padding);
                this += 1;
            }
            widths.push(width);
            self.format_block(lines, widths, from, this, out);
            widths.pop();
            from = this;
        }
        self.write_lines(lines, widths, from, to, out);
    }

    fn write_lines(
        &self,
        lines: &[Vec<&str>],
        widths: &[usize],
        from: usize,
        to: usize,
        out: &mut String,
    ) {
        for line in &lines[from..to] {
            for (j, cell) in line.iter().enumerate() {
                out.push_str(cell);
                if let Some(&w) = widths.get(j) {
                    self.pad(cell_width(cell), w, out);
                }
            }
            out.push('\n');
        }
    }

    fn pad(&self, text_width: usize, cell_width: usize, out: &mut String) {
        if self.pad_char == '\t' {
            if self.tab_width == 0 {
                return;
            }
            let cell = cell_width.div_ceil(self.tab_width) * self.tab_width;
            let n = cell.saturating_sub(text_width);
            out.extend(std::iter::repeat_n('\t', n.div_ceil(self.tab_width)));
        } else {
            out.extend(std::iter::repeat_n(
                self.pad_char,
                cell_width.saturating_sub(text_width),
            ));
        }
    }
}

/// Go counts a cell's width in runes.
fn cell_width(cell: &str) -> usize {
    cell.chars().count()
}

/// Rows of cells joined with tabs, one line each, ready for a `TabWriter`.
pub fn tab_lines<S: AsRef<str>>(rows: impl IntoIterator<Item = Vec<S>>) -> String {
    let mut s = String::new();
    for row in rows {
        let cells: Vec<&str> = row.iter().map(AsRef::as_ref).collect();
        s.push_str(&cells.join("\t"));
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubectl_get_pads_columns_by_three_and_leaves_the_last_alone() {
        let text =
            "NAME\tREADY\tSTATUS\tRESTARTS\tAGE\nweb-7c5ddbdf54-x2kqp\t1/1\tRunning\t0\t9m\n";
        let out = TabWriter::KUBECTL_GET.format(text);
        assert_eq!(
            out,
            "NAME                   READY   STATUS    RESTARTS   AGE\n\
             web-7c5ddbdf54-x2kqp   1/1     Running   0          9m\n"
        );
    }

    #[test]
    fn minimum_width_applies_to_short_columns() {
        let out = TabWriter::KUBECTL_GET.format("A\tB\nx\ty\n");
        assert_eq!(out, "A     B\nx     y\n");
    }

    #[test]
    fn a_line_without_tabs_ends_the_alignment_block() {
        let text = "Name:\tweb\nNamespace:\tdefault\nIPs:\n  IP:\t10.0.0.1\nControlled By:\tReplicaSet/web\n";
        let out = TabWriter::KUBECTL_DESCRIBE.format(text);
        assert_eq!(
            out,
            "Name:       web\n\
             Namespace:  default\n\
             IPs:\n  \
             IP:           10.0.0.1\n\
             Controlled By:  ReplicaSet/web\n"
        );
    }

    #[test]
    fn inner_columns_align_only_within_the_outer_block() {
        // Column 1 of the first two lines forms its own block; the third line has no second
        // cell, so the fourth line's column 1 is measured on its own.
        let text = "a\tbb\tc\naaa\tb\tc\nx\ty\nz\tlonger\tq\n";
        let out = TabWriter::KUBECTL_DESCRIBE.format(text);
        assert_eq!(out, "a    bb  c\naaa  b   c\nx    y\nz    longer  q\n");
    }

    #[test]
    fn empty_cells_are_padded_and_trailing_spaces_kept() {
        let out = TabWriter::KUBECTL_DESCRIBE.format("IP:\t\nStatus:\tPending\n");
        assert_eq!(out, "IP:      \nStatus:  Pending\n");
    }

    #[test]
    fn eksctl_tables_pad_with_tabs_to_eight_column_stops() {
        // The golden table from eksctl's pkg/actions/fargate/print_test.go.
        let rows = vec![
            vec![
                "NAME",
                "SELECTOR_NAMESPACE",
                "SELECTOR_LABELS",
                "POD_EXECUTION_ROLE_ARN",
                "SUBNETS",
                "TAGS",
                "STATUS",
            ],
            vec![
                "fp-prod",
                "prod",
                "env=prod",
                "arn:aws:iam::123:role/root",
                "subnet-prod,subnet-d34dc0w",
                "<none>",
                "ACTIVE",
            ],
            vec![
                "fp-test",
                "default",
                "<none>",
                "arn:aws:iam::123:role/root",
                "<none>",
                "app=my-app,env=test",
                "ACTIVE",
            ],
            vec![
                "fp-test",
                "kube-system",
                "app=my-app,env=test",
                "arn:aws:iam::123:role/root",
                "<none>",
                "app=my-app,env=test",
                "ACTIVE",
            ],
        ];
        let out = TabWriter::EKSCTL.format(&tab_lines(rows));
        assert_eq!(
            out,
            "NAME\tSELECTOR_NAMESPACE\tSELECTOR_LABELS\t\tPOD_EXECUTION_ROLE_ARN\t\tSUBNETS\t\t\t\tTAGS\t\t\tSTATUS\n\
             fp-prod\tprod\t\t\tenv=prod\t\tarn:aws:iam::123:role/root\tsubnet-prod,subnet-d34dc0w\t<none>\t\t\tACTIVE\n\
             fp-test\tdefault\t\t\t<none>\t\t\tarn:aws:iam::123:role/root\t<none>\t\t\t\tapp=my-app,env=test\tACTIVE\n\
             fp-test\tkube-system\t\tapp=my-app,env=test\tarn:aws:iam::123:role/root\t<none>\t\t\t\tapp=my-app,env=test\tACTIVE\n"
        );
    }

    #[test]
    fn text_without_a_final_newline_keeps_none() {
        assert_eq!(TabWriter::KUBECTL_GET.format("a\tb"), "a     b");
    }
}
