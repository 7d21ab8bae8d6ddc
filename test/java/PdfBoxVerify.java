import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotation;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;

/**
 * An independent validator: Apache PDFBox finds each signature dictionary and the bytes its
 * /ByteRange covers; Bouncy Castle verifies the CMS over exactly those bytes (message digest and
 * signature value against the embedded signer certificate). Trust and the lock rule are not its
 * business: it says whether each signature is cryptographically intact and what it covers.
 *
 * Usage: java PdfBoxVerify FILE.pdf… — one JSON line per file:
 * {"file":…,"length":N,"signatures":[{"field":…,"subFilter":…,"byteRange":[a,b,c,d],"intact":true,"signer":…,"error":…}]}
 */
public final class PdfBoxVerify {
  private PdfBoxVerify() {}

  public static void main(String[] args) throws Exception {
    for (String f : args) System.out.println(verify(new File(f)));
  }

  public static String verify(File file) {
    StringBuilder out = new StringBuilder("{\"file\":").append(json(file.getPath()));
    try {
      byte[] pdf = Files.readAllBytes(file.toPath());
      out.append(",\"length\":").append(pdf.length).append(",\"signatures\":[");
      try (PDDocument doc = PDDocument.load(pdf)) {
        List<PDSignature> sigs = signatures(doc);
        for (int i = 0; i < sigs.size(); i++) {
          if (i > 0) out.append(',');
          out.append(signature(sigs.get(i), pdf));
        }
      }
      out.append("]}");
    } catch (Exception e) {
      out.setLength(0);
      out.append("{\"file\":").append(json(file.getPath())).append(",\"error\":").append(json(String.valueOf(e))).append('}');
    }
    return out.toString();
  }

  /**
   * The signature dictionaries of the AcroForm fields (PDFBox's own list), then any other one that
   * only a page's signature widget points to (poppler's -add-signature leaves its field out of an
   * AcroForm written inline in the catalog), in file order of their ByteRange.
   */
  static List<PDSignature> signatures(PDDocument doc) throws java.io.IOException {
    List<PDSignature> out = new ArrayList<>(doc.getSignatureDictionaries());
    Set<COSBase> seen = new HashSet<>();
    for (PDSignature s : out) seen.add(s.getCOSObject());
    for (PDPage page : doc.getPages()) {
      for (PDAnnotation a : page.getAnnotations()) {
        COSDictionary w = a.getCOSObject();
        COSBase v = w.getDictionaryObject(COSName.V);
        if (COSName.SIG.equals(w.getCOSName(COSName.FT)) && v instanceof COSDictionary && seen.add(v)) out.add(new PDSignature((COSDictionary) v));
      }
    }
    out.sort(Comparator.comparingLong(s -> {
      int[] br = s.getByteRange();
      return br != null && br.length == 4 ? (long) br[2] + br[3] : Long.MAX_VALUE;
    }));
    return out;
  }

  static String signature(PDSignature sig, byte[] pdf) {
    StringBuilder s = new StringBuilder("{");
    int[] br = sig.getByteRange();
    s.append("\"subFilter\":").append(json(sig.getSubFilter()));
    s.append(",\"name\":").append(json(sig.getName()));
    s.append(",\"byteRange\":[");
    for (int i = 0; br != null && i < br.length; i++) s.append(i > 0 ? "," : "").append(br[i]);
    s.append(']');
    boolean intact = false;
    String signer = null;
    String error = null;
    try {
      byte[] signed = sig.getSignedContent(pdf);
      CMSSignedData cms = new CMSSignedData(new CMSProcessableByteArray(signed), sig.getContents(pdf));
      Collection<SignerInformation> signers = cms.getSignerInfos().getSigners();
      if (signers.size() != 1) throw new IllegalStateException("expected one SignerInfo, found " + signers.size());
      SignerInformation si = signers.iterator().next();
      @SuppressWarnings("unchecked")
      Collection<X509CertificateHolder> certs = cms.getCertificates().getMatches(si.getSID());
      if (certs.isEmpty()) throw new IllegalStateException("signer certificate missing");
      X509CertificateHolder cert = certs.iterator().next();
      signer = cert.getSubject().toString();
      SignerInformationVerifier verifier = new JcaSimpleSignerInfoVerifierBuilder().build(cert);
      intact = si.verify(verifier);
    } catch (Exception e) {
      error = String.valueOf(e);
    }
    s.append(",\"intact\":").append(intact);
    s.append(",\"signer\":").append(json(signer));
    s.append(",\"error\":").append(json(error));
    return s.append('}').toString();
  }

  static String json(String v) {
    if (v == null) return "null";
    StringBuilder b = new StringBuilder("\"");
    for (char c : v.toCharArray()) {
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20 || c > 0x7e) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }
}
