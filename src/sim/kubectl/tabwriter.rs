//! Go's tabwriter as kubectl configures it: the column layout of every `get` table and
//! `describe` block.

/// Columns separated by three spaces, as kubectl's tabwriter (padding 3) prints them. Every
/// cell but a row's last is tab-terminated and so padded, even when the last cell is empty
/// (as `kubectl get nodes` prints a node with no kubelet version).
pub fn render_table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|cell| cell.chars().count()).collect();
    for row in rows {
        for (index, cell) in row.iter().enumerate() {
            if let Some(width) = widths.get_mut(index) {
                *width = (*width).max(cell.chars().count());
            }
        }
    }
    let mut out = String::new();
    let header: Vec<String> = header.iter().map(|cell| (*cell).to_owned()).collect();
    for row in std::iter::once(&header).chain(rows) {
        let mut line = String::new();
        for (index, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if index + 1 < row.len() {
                let width = widths.get(index).copied().unwrap_or(0);
                line.push_str(&" ".repeat(width.saturating_sub(cell.chars().count()) + 3));
            }
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Go's `text/tabwriter` as kubectl's describers configure it (minwidth 0, tabwidth 8,
/// padding 2, padding with spaces): cells end at tabs, and each column of consecutive lines
/// that have a cell there is padded to its widest cell plus two.
pub fn tabwriter(text: &str) -> String {
    let lines: Vec<Vec<&str>> = text
        .lines()
        .map(|line| line.split('\t').collect())
        .collect();
    let mut out = String::new();
    let mut widths: Vec<usize> = Vec::new();
    format_block(&lines, 0, lines.len(), &mut widths, &mut out);
    out
}

fn cell_width(cell: &str) -> usize {
    cell.chars().count()
}

/// The recursive column-block layout of Go's tabwriter (`Writer.format`).
fn format_block(
    lines: &[Vec<&str>],
    mut line0: usize,
    line1: usize,
    widths: &mut Vec<usize>,
    out: &mut String,
) {
    let column = widths.len();
    let mut this = line0;
    while this < line1 {
        let cells = lines.get(this).map_or(0, Vec::len);
        if column + 1 >= cells {
            this += 1;
            continue;
        }
        write_lines(lines, line0, this, widths, out);
        line0 = this;
        let mut width = 0;
        while this < line1 {
            let Some(line) = lines.get(this) else { break };
            if column + 1 >= line.len() {
                break;
            }
            width = width.max(cell_width(line.get(column).copied().unwrap_or("")) + 2);
            this += 1;
        }
        widths.push(width);
        format_block(lines, line0, this, widths, out);
        widths.pop();
        line0 = this;
    }
    write_lines(lines, line0, line1, widths, out);
}

fn write_lines(lines: &[Vec<&str>], from: usize, to: usize, widths: &[usize], out: &mut String) {
    for line in lines.get(from..to).unwrap_or_default() {
        let mut text = String::new();
        for (index, cell) in line.iter().enumerate() {
            text.push_str(cell);
            if index + 1 < line.len() {
                let width = widths.get(index).copied().unwrap_or(0);
                text.push_str(&" ".repeat(width.saturating_sub(cell_width(cell))));
            }
        }
        out.push_str(&text);
        out.push('\n');
    }
}
