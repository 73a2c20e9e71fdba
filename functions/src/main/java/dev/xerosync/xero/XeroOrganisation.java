package dev.xerosync.xero;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.ZoneId;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The organisation's facts the views need: its ShortCode for deep links and its timezone for
 * "@Nullable today".
 */
public record XeroOrganisation(
    @Nullable String name,
    @Nullable String shortCode,
    @Nullable String xeroTimezone,
    ZoneId zone,
    @Nullable String baseCurrency) {

  public static XeroOrganisation fromJson(JsonNode n) {
    String timezone = XeroInvoice.text(n, "Timezone");
    return new XeroOrganisation(
        XeroInvoice.text(n, "Name"),
        XeroInvoice.text(n, "ShortCode"),
        timezone,
        zoneOf(timezone),
        XeroInvoice.text(n, "BaseCurrency"));
  }

  /**
   * Xero names timezones the Windows way, upper-cased without spaces (NEWZEALANDSTANDARDTIME). The
   * common ones map to IANA zones; an unknown one falls back to UTC rather than failing a sync.
   */
  static ZoneId zoneOf(@Nullable String xeroTimezone) {
    if (xeroTimezone == null) {
      return ZoneId.of("UTC");
    }
    String iana = WINDOWS_ZONES.get(xeroTimezone.toUpperCase(java.util.Locale.ROOT));
    if (iana != null) {
      return ZoneId.of(iana);
    }
    try {
      return ZoneId.of(xeroTimezone);
    } catch (RuntimeException e) {
      return ZoneId.of("UTC");
    }
  }

  private static final Map<String, String> WINDOWS_ZONES =
      Map.ofEntries(
          Map.entry("NEWZEALANDSTANDARDTIME", "Pacific/Auckland"),
          Map.entry("AUSEASTERNSTANDARDTIME", "Australia/Sydney"),
          Map.entry("EAUSTRALIASTANDARDTIME", "Australia/Brisbane"),
          Map.entry("CENAUSTRALIASTANDARDTIME", "Australia/Adelaide"),
          Map.entry("AUSCENTRALSTANDARDTIME", "Australia/Darwin"),
          Map.entry("WAUSTRALIASTANDARDTIME", "Australia/Perth"),
          Map.entry("TASMANIASTANDARDTIME", "Australia/Hobart"),
          Map.entry("GMTSTANDARDTIME", "Europe/London"),
          Map.entry("GREENWICHSTANDARDTIME", "Atlantic/Reykjavik"),
          Map.entry("UTC", "UTC"),
          Map.entry("WEUROPESTANDARDTIME", "Europe/Berlin"),
          Map.entry("ROMANCESTANDARDTIME", "Europe/Paris"),
          Map.entry("CENTRALEUROPEANSTANDARDTIME", "Europe/Warsaw"),
          Map.entry("EASTERNSTANDARDTIME", "America/New_York"),
          Map.entry("CENTRALSTANDARDTIME", "America/Chicago"),
          Map.entry("MOUNTAINSTANDARDTIME", "America/Denver"),
          Map.entry("USMOUNTAINSTANDARDTIME", "America/Phoenix"),
          Map.entry("PACIFICSTANDARDTIME", "America/Los_Angeles"),
          Map.entry("ALASKANSTANDARDTIME", "America/Anchorage"),
          Map.entry("HAWAIIANSTANDARDTIME", "Pacific/Honolulu"),
          Map.entry("ATLANTICSTANDARDTIME", "America/Halifax"),
          Map.entry("SOUTHAFRICASTANDARDTIME", "Africa/Johannesburg"),
          Map.entry("SINGAPORESTANDARDTIME", "Asia/Singapore"),
          Map.entry("CHINASTANDARDTIME", "Asia/Shanghai"),
          Map.entry("TOKYOSTANDARDTIME", "Asia/Tokyo"),
          Map.entry("INDIASTANDARDTIME", "Asia/Kolkata"),
          Map.entry("ARABIANSTANDARDTIME", "Asia/Dubai"),
          Map.entry("FIJISTANDARDTIME", "Pacific/Fiji"),
          Map.entry("DATELINESTANDARDTIME", "Etc/GMT+12"));
}
