package io.asyncengine.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.rowset.serial.SerialBlob;
import javax.sql.rowset.serial.SerialClob;
import org.junit.jupiter.api.Test;

class ValueTextTest {

  @Test
  void textIsQuotedAndOtherValuesPrintAsThemselves() {
    assertThat(ValueText.of("abc")).isEqualTo("'abc'");
    assertThat(ValueText.of(new StringBuilder("sb"))).isEqualTo("'sb'");
    assertThat(ValueText.of(41)).isEqualTo("41");
    assertThat(ValueText.of('c')).isEqualTo("c");
    assertThat(ValueText.of(null)).isEqualTo("NULL");
  }

  @Test
  void longTextIsCutAfterMaxCharsWithItsFullLength() {
    assertThat(ValueText.of("z".repeat(ValueText.MAX_CHARS))).isEqualTo("'" + "z".repeat(100) + "'");
    assertThat(ValueText.of("z".repeat(10_000))).isEqualTo("'" + "z".repeat(100) + "…(10000 chars)'");
    Object longNumber = new java.math.BigDecimal("1".repeat(150));
    assertThat(ValueText.of(longNumber)).isEqualTo("1".repeat(100) + "…(150 chars)");
  }

  @Test
  void arraysPrintTheirTypeAndLengthNeverTheirContent() {
    char[] password = "hunter2-secret".toCharArray();
    assertThat(ValueText.of(password)).isEqualTo("char[14]").doesNotContain("hunter2");
    assertThat(ValueText.of(new byte[16])).isEqualTo("byte[16]");
    assertThat(ValueText.of(new String[] {"a", "b"})).isEqualTo("String[2]");
  }

  @Test
  void lobsAndStreamsPrintTheirKindWithoutBeingRead() throws Exception {
    assertThat(ValueText.of(new SerialBlob(new byte[] {1, 2}))).isEqualTo("Blob");
    assertThat(ValueText.of(new SerialClob("text".toCharArray()))).isEqualTo("Clob");
    ByteArrayInputStream stream = new ByteArrayInputStream(new byte[] {1, 2, 3});
    assertThat(ValueText.of(stream)).isEqualTo("InputStream");
    assertThat(stream.available()).isEqualTo(3);
    assertThat(ValueText.of(new StringReader("r"))).isEqualTo("Reader");
  }

  @Test
  void positionalAndNamedValuesUseTheSameRule() {
    assertThat(ValueText.ofPositional(new Object[] {41, "a", null, new byte[2]}))
        .isEqualTo("[41, 'a', NULL, byte[2]]");
    assertThat(ValueText.ofPositional(new Object[0])).isEqualTo("[]");
    Map<String, Object> named = new LinkedHashMap<>();
    named.put("id", 1);
    named.put("name", "x".repeat(101));
    named.put("gone", null);
    assertThat(ValueText.ofNamed(named))
        .isEqualTo("{id=1, name='" + "x".repeat(100) + "…(101 chars)', gone=NULL}");
    char[] filler = new char[3];
    Arrays.fill(filler, 'p');
    assertThat(ValueText.ofNamed(Map.of("password", filler))).isEqualTo("{password=char[3]}");
  }
}
