#include "nexcage/core/registry_host.hpp"

namespace nexcage {

namespace {

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

}  // namespace

bool is_registry_host(std::string_view d) {
  std::string_view host = d;
  if (auto colon = d.rfind(':'); colon != std::string_view::npos && d.find(']', colon) == d.npos) {
    auto port = d.substr(colon + 1);
    // No port has more than five digits (65535).
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != port.npos)
      return false;
    host = d.substr(0, colon);
  }
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    auto inner = host.substr(1, host.size() - 2);
    return inner.find_first_not_of("0123456789abcdefABCDEF:.") == inner.npos &&
           inner.find(':') != inner.npos;
  }
  if (host.empty()) return false;
  std::size_t start = 0;
  for (;;) {
    auto dot = host.find('.', start);
    auto label = host.substr(start, dot == host.npos ? host.npos : dot - start);
    if (label.empty() || !is_alnum(label.front()) || !is_alnum(label.back())) return false;
    for (char c : label)
      if (!is_alnum(c) && c != '-') return false;
    if (dot == host.npos) return true;
    start = dot + 1;
  }
}

}  // namespace nexcage
