// CPU numbers as pct and runc compute them; kept apart because both are easy to get subtly wrong
// (a float truncation in PVE, a curve fit in runc) and each has its own unit tests.
#include <cmath>
#include <cstdlib>

#include "nexcage/backend/pct/translate.hpp"

namespace nexcage::backend::pct {

uint64_t cpu_shares_to_weight(uint64_t shares) {
  if (shares == 0) return 0;
  if (shares <= 2) return 1;
  if (shares >= 262144) return 10000;
  double l = std::log2(static_cast<double>(shares));
  double exponent = (l * l + 125 * l) / 612.0 - 7.0 / 34.0;
  return static_cast<uint64_t>(std::ceil(std::pow(10.0, exponent)));
}

namespace {
std::string decimal(uint64_t whole, uint64_t fraction, int digits) {
  std::string frac = std::to_string(fraction);
  frac.insert(0, static_cast<std::size_t>(digits) - frac.size(), '0');
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  return frac.empty() ? std::to_string(whole) : std::to_string(whole) + "." + frac;
}

// What PVE computes from the text: int(1e5 * $value) in perl doubles.
uint64_t pve_units(const std::string& text) {
  return static_cast<uint64_t>(1e5 * std::strtod(text.c_str(), nullptr));
}
}  // namespace

std::string cpulimit_text(uint64_t quota, uint64_t period, uint64_t& units) {
  __extension__ using u128 = unsigned __int128;
  u128 scaled = static_cast<u128>(quota) * 100000u;
  units = static_cast<uint64_t>((scaled + period - 1) / period);
  auto text = decimal(units / 100000, units % 100000, 5);
  // 0.29 * 1e5 is 28999.999... in doubles: a sixth digit of 5 lifts the product above the integer
  // without reaching the next one, so PVE's truncation lands on `units`.
  if (pve_units(text) != units) text = decimal(units / 100000, (units % 100000) * 10 + 5, 6);
  return text;
}

}  // namespace nexcage::backend::pct
