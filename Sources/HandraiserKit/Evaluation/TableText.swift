/// Plain-text tables for the evaluation reports.
enum TableText {
    /// Cells padded to `widths`, two spaces apart: the first left-aligned, the rest right-aligned.
    static func row(_ cells: [String], _ widths: [Int]) -> String {
        zip(cells, widths).enumerated().map { index, pair in
            let (cell, width) = pair
            let gap = String(repeating: " ", count: max(0, width - cell.count))
            return index == 0 ? cell + gap : gap + cell
        }.joined(separator: "  ")
    }

    /// `70.1%`, or `—` when there was nothing to divide.
    static func percent(_ value: Double?) -> String {
        value.map { String(format1: $0 * 100) + "%" } ?? "—"
    }
}
