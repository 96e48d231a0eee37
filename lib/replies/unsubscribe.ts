// A person asking to stop, in the six languages. Matched on folded (lower-case, accent-free) text of the
// new part of a reply only, so our own quoted footer ("unsubscribe here") never counts.
const STOP = [
  // English
  /\bunsubscribe\b/,
  /\bremove (?:me|us|my (?:e-?mail|address|name|details|contact)|this (?:e-?mail|address))\b/,
  /\btake (?:me|us|my (?:e-?mail|address|name)) (?:off|out of)\b/,
  /\b(?:stop|cease) (?:e-?mailing|emailing|mailing|sending|contacting|messaging|writing|spamming|reaching out)\b/,
  /\b(?:do not|don't|dont|never|please don't|please do not) (?:contact|e-?mail|email|message|write to|reach out to) (?:me|us)\b/,
  /\b(?:do not|don't|dont) (?:send|want) (?:me |us )?(?:any )?(?:more|further) (?:e-?mails?|emails?|messages?)\b/,
  /\bno (?:more|further) (?:e-?mails?|emails?|messages?|contact)\b/,
  /\bopt (?:me )?out\b|\bopt-out\b/,
  /\bnot interested\b.{0,80}\b(?:stop|remove|unsubscribe|don't|do not)\b/,
  /\b(?:off|from) (?:your|the|this) (?:mailing |distribution |e-?mail |contact )?list\b/,
  /\bleave me alone\b/,
  // German
  /\b(?:abmelden|abbestellen|austragen|abmeldung)\b/,
  /\bkeine (?:weiteren |weitere )?(?:e-?mails|mails|nachrichten|zusendungen|kontaktaufnahme)\b/,
  /\bnicht mehr (?:kontaktieren|anschreiben|schreiben|anrufen|zu kontaktieren|zu schreiben|mailen)\b/,
  /\b(?:aus (?:ihrem|ihrer|dem|der|ihren) (?:verteiler|liste|mailingliste|datenbank))\b/,
  /\b(?:loschen|entfernen) sie (?:bitte )?(?:meine|mich)\b/,
  // French
  /\b(?:desabonner|desabonnez|desinscrire|desinscrivez|desabonnement|desinscription)\b/,
  /\b(?:retirez|supprimez|enlevez|effacez)[- ](?:moi|mon adresse|mes coordonnees)\b/,
  /\bne (?:plus (?:me |m')?|pas (?:me |m'))(?:contacter|recontacter|ecrire|envoyer|solliciter)\b|\bne plus recevoir\b/,
  /\barretez de (?:m'|me )?(?:envoyer|ecrire|contacter|solliciter)\b/,
  /\bne m'(?:ecrivez|envoyez|contactez) plus\b/,
  // Spanish
  /\b(?:darme de baja|dar de baja|darse de baja|denme de baja|de baja de (?:su|la|esta) lista|desuscribir(?:me)?|cancelar (?:la )?suscripcion)\b/,
  /\b(?:borrenme|eliminenme|quitenme|sacenme|eliminame|quitame|sacame|borrame)\b/,
  /\b(?:elimin|quit|sac|borr)(?:ar|en|e) (?:mi (?:correo|direccion|email|e-mail|contacto)|me de)\b/,
  /\bno (?:me )?(?:contacten|escriban|envien|vuelvan a (?:contactar|escribir|enviar))(?:me)? (?:mas)?\b/,
  /\bdejen de (?:enviarme|escribirme|contactarme|mandarme)\b/,
  /\bno (?:quiero|deseo) recibir\b/,
  // Portuguese
  /\b(?:descadastr\w*|cancelar (?:a )?(?:minha )?inscricao)\b/,
  /\b(?:remova-me|me remova|me remover|me retire|retire-me|removam-me|me removam|remover (?:o )?meu (?:e-?mail|endereco|contato|cadastro))\b/,
  /\b(?:parem|pare) de (?:me )?(?:enviar|mandar|contatar|escrever)\b/,
  /\bnao (?:me )?(?:envie|enviem|contate|contatem|contacte|contactem|mande|mandem|escreva|escrevam) mais\b/,
  /\bnao (?:quero|desejo) (?:mais )?receber\b/,
  // Dutch
  /\b(?:uitschrijven|afmelden|uitgeschreven)\b/,
  /\bverwijder (?:mij|me|mijn (?:e-?mailadres|e-?mail|adres|gegevens))\b/,
  /\bgeen (?:e-?mails|mails|berichten|mailtjes) meer\b/,
  /\b(?:stop|stopt|stoppen) met (?:mailen|e-?mailen|mails sturen|berichten sturen|benaderen)\b/,
  /\bniet meer (?:mailen|benaderen|contacteren|e-?mailen)\b/,
];

// Lines that are somebody's footer, not the person's words.
const FOOTER_LINE =
  /https?:\/\/|click here|\bhere to unsubscribe|manage (?:your )?(?:preferences|subscription)|to unsubscribe from this group|if you (?:no longer )?wish to|you are receiving this|you received this/;

/** Whether the sender's own words (folded) ask to stop being contacted. */
export function asksToStop(
  foldedNewText: string,
  foldedSubject: string,
): { match: boolean; signal?: string } {
  const subject = foldedSubject.replace(/^(?:(?:re|aw|antw|sv|vs|tr|rv|fw|fwd|wg):\s*)+/, '').trim();
  if (
    /^(?:unsubscribe|remove|remove me|stop|opt[- ]?out|abmelden|desabonner|desinscription|baja|descadastrar|uitschrijven|afmelden)\.?$/.test(
      subject,
    )
  ) {
    return { match: true, signal: 'subject:unsubscribe' };
  }
  const words = foldedNewText
    .split('\n')
    .filter((l) => !FOOTER_LINE.test(l))
    .join('\n')
    .replace(/\s+/g, ' ');
  // A long reply that mentions unsubscribing in passing is a conversation, not a request to stop.
  if (words.length > 1200) return { match: false };
  if (/^(?:stop|unsubscribe|remove|remove me)\W*$/.test(words.trim()))
    return { match: true, signal: 'text:stop' };
  const hit = STOP.find((re) => re.test(words));
  return hit ? { match: true, signal: `text:${hit.source.slice(0, 30)}` } : { match: false };
}
