#pragma once
// Small text helpers for what tools and the kernel print: one definition instead of a copy in
// each place that reads such output.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nexcage {

// ASCII classes, independent of the locale (unlike <cctype>): the grammars of ids, hostnames and
// references are defined on ASCII.
constexpr bool is_ascii_digit(char c) {
  return c >= '0' && c <= '9';
}
constexpr bool is_ascii_lower(char c) {
  return c >= 'a' && c <= 'z';
}
constexpr bool is_ascii_upper(char c) {
  return c >= 'A' && c <= 'Z';
}
constexpr bool is_ascii_alnum(char c) {
  return is_ascii_digit(c) || is_ascii_lower(c) || is_ascii_upper(c);
}

// `s` without leading and trailing spaces, tabs, CRs and newlines.
std::string trim(std::string_view s);

// The last line of what a tool printed, trimmed ("" for blank output): where tools put the
// reason they failed.
std::string last_line(std::string_view s);

// `s` with ASCII letters in upper case (names of signals, capabilities, seccomp constants).
std::string upper_ascii(std::string_view s);

// `words` with `separator` between each two.
std::string join(const std::vector<std::string>& words, std::string_view separator);

// The whole of `s` as a decimal unsigned 32-bit number: digits only (no sign, no spaces, no
// suffix), at most UINT32_MAX; nullopt otherwise.
std::optional<std::uint32_t> parse_u32(std::string_view s);

// A size as runc's update flags take it (docker/go-units RAMInBytes): a number, optionally with a
// fraction, an optional space, then an optional unit k, m, g, t or p (any case, powers of 1024)
// optionally followed by i and/or b: "50M", "1.5g", "512kb", "4096". nullopt for anything else
// or a value beyond INT64_MAX.
std::optional<std::int64_t> parse_byte_size(std::string_view s);

// True for the kernel's cpuset list syntax: "N" or "N-M", joined by commas (cpuset.cpus and
// cpuset.mems, linux.resources.cpu.cpus and .mems).
bool is_cpu_list(std::string_view list);

// `s` safe to print on a terminal: control characters (C0 but newline when `keep_newlines`,
// DEL, and the C1 range U+0080..U+009F, which terminals take as escape sequences) and bytes that
// are not UTF-8 become \n, \t, \r or \xNN; everything else (backslashes too) stays as it is.
// Values from config.json reach messages: a hostname holding ESC [ 2 J must not clear the
// caller's screen, and a NUL must not cut the message short.
std::string printable(std::string_view s, bool keep_newlines = true);

// `s` for quoting in a message: itself up to `max` bytes, else its start and "... (N bytes)", so
// that a 200 KB value from a bundle does not become a 200 KB error line.
std::string excerpt(std::string_view s, std::size_t max = 64);

// A field of /proc/<pid>/mountinfo or /proc/mounts with the kernel's \ooo escapes (space, tab,
// newline, backslash) decoded. Only escapes of one byte (\000 to \377) are decoded; anything
// else stays as written.
std::string unescape_octal(std::string_view text);

}  // namespace nexcage
