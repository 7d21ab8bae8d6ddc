import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * One JVM for a whole test file: reads jobs from stdin, one per line, tab-separated, in order —
 *   cosign IN OUT KEY.p12 PASSWORD visible|invisible NAME
 *   verify FILE
 * and prints one JSON line per job ({"job":"cosign","out":…,"ok":true} or PdfBoxVerify's line).
 * A failing job is reported and the rest still run.
 */
public final class PdfBoxJobs {
  private PdfBoxJobs() {}

  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.isBlank()) continue;
      String[] f = line.split("\t");
      if (f[0].equals("verify") && f.length == 2) {
        System.out.println("{\"job\":\"verify\",\"report\":" + PdfBoxVerify.verify(new File(f[1])) + "}");
      } else if (f[0].equals("cosign") && f.length == 7) {
        String error = null;
        try {
          PdfBoxCoSign.coSign(new File(f[1]), new File(f[2]), new File(f[3]), f[4].toCharArray(), "visible".equals(f[5]), f[6]);
        } catch (Exception e) {
          error = String.valueOf(e);
        }
        System.out.println("{\"job\":\"cosign\",\"out\":" + PdfBoxVerify.json(f[2]) + ",\"ok\":" + (error == null) + ",\"error\":" + PdfBoxVerify.json(error) + "}");
      } else {
        System.out.println("{\"job\":\"unknown\",\"error\":" + PdfBoxVerify.json(line) + "}");
      }
      System.out.flush();
    }
  }
}
