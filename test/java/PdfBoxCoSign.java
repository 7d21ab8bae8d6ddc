import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.Collections;
import java.util.List;

import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.common.PDStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceDictionary;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureOptions;
import org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm;
import org.apache.pdfbox.pdmodel.interactive.form.PDSignatureField;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.ess.ESSCertIDv2;
import org.bouncycastle.asn1.ess.SigningCertificateV2;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.IssuerSerial;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * A co-signature the way other tools write one: Apache PDFBox 2.0 adds a signature field to an
 * already signed PDF and saves it as an incremental update (saveIncremental); Bouncy Castle makes
 * the detached CMS. Visible: the widget carries an appearance stream (a Form XObject painting a
 * frame and text with a font), imported from a template document as Acrobat and iText do;
 * invisible: a zero-size widget. Visible signatures are PAdES (ETSI.CAdES.detached with an ESS
 * signing-certificate-v2 attribute); invisible ones are the classic adbe.pkcs7.detached.
 *
 * Usage: java PdfBoxCoSign IN.pdf OUT.pdf KEY.p12 PASSWORD visible|invisible NAME
 */
public final class PdfBoxCoSign {
  private PdfBoxCoSign() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 6) {
      System.err.println("usage: PdfBoxCoSign IN.pdf OUT.pdf KEY.p12 PASSWORD visible|invisible NAME");
      System.exit(3);
    }
    coSign(new File(args[0]), new File(args[1]), new File(args[2]), args[3].toCharArray(), "visible".equals(args[4]), args[5]);
  }

  public static void coSign(File in, File out, File p12, char[] password, boolean visible, String name) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream is = new FileInputStream(p12)) {
      ks.load(is, password);
    }
    String alias = null;
    for (String a : Collections.list(ks.aliases())) if (ks.isKeyEntry(a)) alias = a;
    if (alias == null) throw new IOException("no private key in " + p12);
    PrivateKey key = (PrivateKey) ks.getKey(alias, password);
    Certificate[] chain = ks.getCertificateChain(alias);

    try (PDDocument doc = PDDocument.load(in); SignatureOptions options = new SignatureOptions()) {
      PDSignature signature = new PDSignature();
      signature.setFilter(PDSignature.FILTER_ADOBE_PPKLITE);
      signature.setSubFilter(visible ? COSName.getPDFName("ETSI.CAdES.detached") : PDSignature.SUBFILTER_ADBE_PKCS7_DETACHED);
      signature.setName(name);
      signature.setReason("Co-signature (PDFBox " + (visible ? "visible" : "invisible") + ")");
      signature.setLocation("Almaty");
      signature.setSignDate(Calendar.getInstance());
      options.setPreferredSignatureSize(20000);
      if (visible) {
        options.setVisualSignature(visualTemplate(doc, name));
        options.setPage(0);
      }
      doc.addSignature(signature, content -> cms(content, key, chain, visible), options);
      try (OutputStream os = new FileOutputStream(out)) {
        doc.saveIncremental(os);
      }
    }
  }

  /** The detached CMS over the ByteRange content (SHA-256 with RSA, certificates included). */
  static byte[] cms(InputStream content, PrivateKey key, Certificate[] chain, boolean pades) throws IOException {
    try {
      X509Certificate cert = (X509Certificate) chain[0];
      ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(key);
      JcaSignerInfoGeneratorBuilder sib = new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build());
      if (pades) {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
        IssuerSerial issuerSerial = new IssuerSerial(new GeneralNames(new GeneralName(X500Name.getInstance(cert.getIssuerX500Principal().getEncoded()))), cert.getSerialNumber());
        SigningCertificateV2 scv2 = new SigningCertificateV2(new ESSCertIDv2[] { new ESSCertIDv2(hash, issuerSerial) });
        ASN1EncodableVector attrs = new ASN1EncodableVector();
        attrs.add(new Attribute(PKCSObjectIdentifiers.id_aa_signingCertificateV2, new DERSet(scv2)));
        sib.setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(attrs)));
      }
      CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
      gen.addSignerInfoGenerator(sib.build(signer, cert));
      List<Certificate> certs = new ArrayList<>(Arrays.asList(chain));
      gen.addCertificates(new JcaCertStore(certs));
      return gen.generate(new CMSProcessableByteArray(content.readAllBytes()), false).getEncoded();
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    }
  }

  /**
   * A one-page document holding only the signature field and its widget with an appearance
   * stream; PDFBox copies the widget (and its Form XObject) into the signed document.
   */
  static InputStream visualTemplate(PDDocument src, String name) throws IOException {
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage(src.getPage(0).getMediaBox());
      doc.addPage(page);
      PDAcroForm acroForm = new PDAcroForm(doc);
      doc.getDocumentCatalog().setAcroForm(acroForm);
      PDSignatureField field = new PDSignatureField(acroForm);
      PDAnnotationWidget widget = field.getWidgets().get(0);
      acroForm.setSignaturesExist(true);
      acroForm.setAppendOnly(true);
      acroForm.getCOSObject().setDirect(true);
      acroForm.getFields().add(field);
      PDRectangle rect = new PDRectangle(300, 60, 240, 60);
      widget.setRectangle(rect);

      PDStream stream = new PDStream(doc);
      PDFormXObject form = new PDFormXObject(stream);
      form.setResources(new PDResources());
      form.setFormType(1);
      form.setBBox(new PDRectangle(rect.getWidth(), rect.getHeight()));
      PDAppearanceDictionary appearance = new PDAppearanceDictionary();
      appearance.getCOSObject().setDirect(true);
      PDAppearanceStream ap = new PDAppearanceStream(form.getCOSObject());
      appearance.setNormalAppearance(ap);
      widget.setAppearance(appearance);
      try (PDPageContentStream cs = new PDPageContentStream(doc, ap)) {
        cs.setNonStrokingColor(0.93f, 0.95f, 1f);
        cs.addRect(0, 0, rect.getWidth(), rect.getHeight());
        cs.fill();
        cs.setStrokingColor(0.1f, 0.2f, 0.6f);
        cs.addRect(1, 1, rect.getWidth() - 2, rect.getHeight() - 2);
        cs.stroke();
        cs.beginText();
        cs.setNonStrokingColor(0f, 0f, 0f);
        cs.setFont(PDType1Font.HELVETICA_BOLD, 11);
        cs.newLineAtOffset(8, 38);
        cs.showText("Digitally signed by " + name);
        cs.setFont(PDType1Font.HELVETICA, 9);
        cs.newLineAtOffset(0, -16);
        cs.showText("Apache PDFBox co-signature");
        cs.endText();
      }
      ByteArrayOutputStream baos = new ByteArrayOutputStream();
      doc.save(baos);
      return new ByteArrayInputStream(baos.toByteArray());
    }
  }
}
