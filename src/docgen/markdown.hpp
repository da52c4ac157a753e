#pragma once
// The Markdown the docs/ pages use, as the body of a man page, so a page such as
// nexcage-config.json(5) is written once (docs/configuration.md) and read in both places.
#include <string>
#include <string_view>

namespace nexcage::docgen {

// Supported: "## heading" (a section; the "# title" is dropped, the page has its own),
// paragraphs, "1." and "-" lists with indented continuation lines, ``` fenced blocks and pipe
// tables (each row a tagged paragraph: first cell the tag, last cell the text, the others in
// parentheses under their column names), plus roff_inline's inline markup.
std::string markdown_to_roff(std::string_view markdown);

// The "## heading" section of `markdown`, its heading line included, up to the next "## " (empty
// when there is none): one part of a docs/ page shown in another man page.
std::string_view markdown_section(std::string_view markdown, std::string_view heading);

}  // namespace nexcage::docgen
