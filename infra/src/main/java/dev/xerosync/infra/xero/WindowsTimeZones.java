package dev.xerosync.infra.xero;

import java.time.ZoneId;
import java.util.Map;

/**
 * Xero reports an organisation's timezone by its Windows name, upper-cased and without spaces (e.g.
 * NEWZEALANDSTANDARDTIME). The JDK knows only IANA ids, so the common ones are mapped here.
 */
final class WindowsTimeZones {
  private static final Map<String, String> BY_IANA =
      Map.ofEntries(
          Map.entry("Pacific/Auckland", "NEWZEALANDSTANDARDTIME"),
          Map.entry("Pacific/Chatham", "CHATHAMISLANDSSTANDARDTIME"),
          Map.entry("Australia/Sydney", "AUSEASTERNSTANDARDTIME"),
          Map.entry("Australia/Melbourne", "AUSEASTERNSTANDARDTIME"),
          Map.entry("Australia/Brisbane", "EAUSTRALIASTANDARDTIME"),
          Map.entry("Australia/Adelaide", "CENAUSTRALIASTANDARDTIME"),
          Map.entry("Australia/Darwin", "AUSCENTRALSTANDARDTIME"),
          Map.entry("Australia/Perth", "WAUSTRALIASTANDARDTIME"),
          Map.entry("Australia/Hobart", "TASMANIASTANDARDTIME"),
          Map.entry("Europe/London", "GMTSTANDARDTIME"),
          Map.entry("Europe/Dublin", "GMTSTANDARDTIME"),
          Map.entry("Europe/Paris", "ROMANCESTANDARDTIME"),
          Map.entry("Europe/Berlin", "WEUROPESTANDARDTIME"),
          Map.entry("America/New_York", "EASTERNSTANDARDTIME"),
          Map.entry("America/Chicago", "CENTRALSTANDARDTIME"),
          Map.entry("America/Denver", "MOUNTAINSTANDARDTIME"),
          Map.entry("America/Los_Angeles", "PACIFICSTANDARDTIME"),
          Map.entry("America/Toronto", "EASTERNSTANDARDTIME"),
          Map.entry("Asia/Singapore", "SINGAPORESTANDARDTIME"),
          Map.entry("Asia/Hong_Kong", "CHINASTANDARDTIME"),
          Map.entry("Asia/Tokyo", "TOKYOSTANDARDTIME"),
          Map.entry("Africa/Johannesburg", "SOUTHAFRICASTANDARDTIME"),
          Map.entry("UTC", "UTC"),
          Map.entry("Etc/UTC", "UTC"),
          Map.entry("Z", "UTC"));

  private WindowsTimeZones() {}

  static String name(ZoneId zone) {
    String n = BY_IANA.get(zone.getId());
    if (n == null) {
      throw new IllegalArgumentException(
          "no Xero (Windows) timezone name known for " + zone + "; known: " + BY_IANA.keySet());
    }
    return n;
  }
}
