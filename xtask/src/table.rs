//! Markdown tables for the sweeps' reports (`corpus`, `conformance`): columns padded to
//! their widest cell, so the table reads in a terminal and pastes into a note.

/// Prints `header`, a rule, and `rows` as a padded Markdown table.
pub fn print(header: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = header.iter().map(|cell| cell.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(cell, &width)| format!("{cell:width$}"))
            .collect();
        format!("| {} |", padded.join(" | ")).trim_end().to_owned()
    };
    let header: Vec<String> = header.iter().map(|cell| (*cell).to_owned()).collect();
    println!("{}", line(&header));
    let rule: Vec<String> = widths.iter().map(|&width| "-".repeat(width)).collect();
    println!("{}", line(&rule));
    for row in rows {
        println!("{}", line(row));
    }
}
