#pragma once
// roff text for man pages: escaping and the few inline markups the pages use.
#include <string>
#include <string_view>

namespace nexcage::docgen {

// Plain text safe in a roff text line: backslashes, hyphens (so options copy as ASCII "-")
// and a leading control character are escaped.
std::string roff_escape(std::string_view text);

// roff_escape plus Markdown inline markup: `code` and **strong** become bold, *emphasis* italic.
std::string roff_inline(std::string_view markdown);

// "\fBtext\fR" and "\fItext\fR" of escaped text.
std::string bold(std::string_view text);
std::string italic(std::string_view text);

}  // namespace nexcage::docgen
