#include "docgen/markdown.hpp"

#include <cctype>
#include <vector>

#include "docgen/roff.hpp"

#include "nexcage/core/text.hpp"

namespace nexcage::docgen {

namespace {

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    auto nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    lines.emplace_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

// "| a | b\|c |" -> {"a", "b|c"}
std::vector<std::string> table_cells(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  std::string row = trim(line);
  for (std::size_t i = 1; i < row.size(); ++i) {
    if (row[i] == '\\' && i + 1 < row.size() && row[i + 1] == '|') {
      cell += '|';
      ++i;
    } else if (row[i] == '|') {
      cells.push_back(trim(cell));
      cell.clear();
    } else {
      cell += row[i];
    }
  }
  return cells;
}

bool is_table_line(const std::string& line) {
  return trim(line).rfind('|', 0) == 0;
}
bool is_blank(const std::string& line) {
  return trim(line).empty();
}
bool is_fence(const std::string& line) {
  return trim(line).rfind("```", 0) == 0;
}

// "1. text" -> 2 (length of the marker and space), "- text" -> 2, else 0.
std::size_t list_marker(const std::string& line) {
  if (line.rfind("- ", 0) == 0) return 2;
  std::size_t i = 0;
  while (i < line.size() && std::isdigit(static_cast<unsigned char>(line[i]))) ++i;
  if (i > 0 && line.compare(i, 2, ". ") == 0) return i + 2;
  return 0;
}

class Converter {
 public:
  explicit Converter(std::string_view md) : lines_(split_lines(md)) {}

  std::string run() {
    while (i_ < lines_.size()) {
      const std::string& line = lines_[i_];
      if (is_blank(line)) {
        ++i_;
      } else if (line.rfind("# ", 0) == 0) {
        ++i_;
      } else if (line.rfind("## ", 0) == 0 || line.rfind("### ", 0) == 0) {
        heading(line);
      } else if (is_fence(line)) {
        fence();
      } else if (is_table_line(line)) {
        table();
      } else if (list_marker(line) > 0) {
        list_item();
      } else {
        paragraph();
      }
    }
    return out_;
  }

 private:
  void heading(const std::string& line) {
    bool sub = line.rfind("### ", 0) == 0;
    std::string title = trim(line.substr(sub ? 4 : 3));
    out_ += sub ? ".SS " : ".SH ";
    out_ += "\"" + roff_escape(sub ? title : upper_ascii(title)) + "\"\n";
    ++i_;
  }

  void fence() {
    out_ += ".PP\n.RS 4\n.nf\n";
    for (++i_; i_ < lines_.size() && !is_fence(lines_[i_]); ++i_)
      out_ += roff_escape(lines_[i_]) + "\n";
    ++i_;  // the closing fence
    out_ += ".fi\n.RE\n";
  }

  void table() {
    auto header = table_cells(lines_[i_]);
    i_ += 2;  // the header and the |---| line
    for (; i_ < lines_.size() && is_table_line(lines_[i_]); ++i_) {
      auto cells = table_cells(lines_[i_]);
      if (cells.empty()) continue;
      out_ += ".TP\n" + roff_inline(cells.front()) + "\n";
      std::string details;
      for (std::size_t c = 1; c + 1 < cells.size(); ++c) {
        if (!details.empty()) details += "; ";
        details += (c < header.size() ? header[c] + ": " : "") + cells[c];
      }
      out_ += roff_inline(cells.size() > 1 ? cells.back() : "");
      if (!details.empty()) out_ += (cells.size() > 1 ? " (" : "(") + roff_inline(details) + ")";
      out_ += "\n";
    }
  }

  // The item and its indented continuation lines.
  void list_item() {
    const std::string& line = lines_[i_];
    std::size_t marker = list_marker(line);
    std::string tag = line[0] == '-' ? "\\(bu" : line.substr(0, marker - 1);
    std::string text = line.substr(marker);
    for (++i_; i_ < lines_.size() && lines_[i_].rfind("  ", 0) == 0 && !is_blank(lines_[i_]); ++i_)
      text += "\n" + trim(lines_[i_]);
    out_ += ".IP " + tag + " 4\n" + roff_inline(text) + "\n";
  }

  void paragraph() {
    std::string text;
    for (; i_ < lines_.size(); ++i_) {
      const std::string& line = lines_[i_];
      if (is_blank(line) || line.rfind('#', 0) == 0 || is_fence(line) || is_table_line(line) ||
          list_marker(line) > 0)
        break;
      text += (text.empty() ? "" : "\n") + trim(line);
    }
    out_ += ".PP\n" + roff_inline(text) + "\n";
  }

  std::vector<std::string> lines_;
  std::size_t i_ = 0;
  std::string out_;
};

}  // namespace

std::string markdown_to_roff(std::string_view markdown) {
  return Converter(markdown).run();
}

std::string_view markdown_section(std::string_view markdown, std::string_view heading) {
  std::string line = "## " + std::string(heading) + "\n";
  std::size_t start = markdown.rfind(line, 0) == 0 ? 0 : markdown.find("\n" + line);
  if (start == std::string_view::npos) return {};
  if (start != 0) ++start;
  std::size_t end = markdown.find("\n## ", start + line.size() - 1);
  return markdown.substr(start,
                         end == std::string_view::npos ? std::string_view::npos : end + 1 - start);
}

}  // namespace nexcage::docgen
