import { useEffect, useState } from 'preact/hooks';
import type { Application, GroupRole, JoinPolicy, Member } from '@parley/sdk';
import { Avatar } from './Avatar.tsx';
import { errorText, useStore } from './hooks.ts';
import { idsOf } from './Sidebar.tsx';
import { QrCode } from './QrCode.tsx';
import { timeOf } from './format.ts';

/** The address that opens the Join dialog for a group (with a signed QR code: joins at once). */
export function inviteLink(groupId: number, code?: string): string {
  return `${location.origin}${location.pathname}#/join/${groupId}${code ? `/${code}` : ''}`;
}

const RANK: Record<GroupRole, number> = { owner: 3, admin: 2, member: 1 };
const MUTE_MINUTES = 10;

/** Group details, members with roles, and the owner's and admins' actions. */
export function GroupPanel(props: { groupId: number; onClose: () => void }) {
  const s = useStore();
  const id = props.groupId;
  const group = s.groups.get(id);
  const members = s.members.get(id) ?? [];
  const mine = members.find((m) => m.userId === s.me?.id);
  const myRank = mine ? RANK[mine.role] : 0;
  const isAdmin = myRank >= RANK.admin;
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const [applications, setApplications] = useState<Application[]>([]);
  const [qr, setQr] = useState<{ code: string; expiresAt: number } | undefined>();

  const act = async (label: string, run: () => Promise<unknown>) => {
    setError('');
    setStatus('');
    try {
      await run();
      setStatus(label);
      s.group(id, true);
      await s.loadMembers(id);
      // The action may have changed my own role (a transfer): ask again.
      const role = s.members.get(id)?.find((m) => m.userId === s.me?.id)?.role;
      if (role && RANK[role] >= RANK.admin) await loadApplications();
      else setApplications([]);
    } catch (e) {
      setError(errorText(e));
    }
  };
  const loadApplications = async () => {
    try {
      const page = await s.api.groups.applications(id);
      const pending = page.items.filter((a) => !a.status || a.status === 'pending');
      setApplications(pending);
      s.joinRequests.set(id, pending.length);
      s.changed();
      for (const a of pending) s.user(a.applicantId);
    } catch {
      setApplications([]);
    }
  };
  useEffect(() => {
    if (isAdmin) void loadApplications();
  }, [id, isAdmin, s.groupEpoch.get(id)]);

  const [name, setName] = useState(group?.name ?? '');
  const [announcement, setAnnouncement] = useState(group?.notice ?? '');
  const [invitees, setInvitees] = useState('');
  useEffect(() => setName(group?.name ?? ''), [group?.name]);
  useEffect(() => setAnnouncement(group?.notice ?? ''), [group?.notice]);

  const sorted = [...members].sort((a, b) => RANK[b.role] - RANK[a.role]);
  const policy = (group?.joinPolicy as JoinPolicy | undefined) ?? 'approval';
  const mutedAll = Boolean(group?.muteAllForever || (group?.muteAllUntil && group.muteAllUntil > Date.now()));

  return (
    <aside id="group-panel" class="group-panel" aria-label="Group info">
      <header>
        <h2>Group info</h2>
        <button type="button" class="icon" aria-label="Close group info" onClick={props.onClose}>×</button>
      </header>
      {status && <p class="ok" role="status">{status}</p>}
      {error && <p class="error" role="alert">{error}</p>}

      {isAdmin && (
        <section aria-labelledby="gp-settings">
          <h3 id="gp-settings">Settings</h3>
          <form class="inline" onSubmit={(e) => { e.preventDefault(); void act('Group renamed', () => s.api.groups.update(id, { name: name.trim() })); }}>
            <label>Name<input name="groupRename" required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} /></label>
            <button type="submit">Rename</button>
          </form>
          <form onSubmit={(e) => { e.preventDefault(); void act('Announcement posted', () => s.api.groups.update(id, { notice: announcement.trim() })); }}>
            <label>Announcement<textarea name="announcement" rows={2} maxLength={2000} value={announcement} onInput={(e) => setAnnouncement(e.currentTarget.value)} /></label>
            <button type="submit">Post announcement</button>
          </form>
          <label>
            Who can join
            <select name="joinPolicy" value={policy} onChange={(e) => void act('Join policy changed', () => s.api.groups.updateSettings(id, { joinPolicy: (e.target as HTMLSelectElement).value as JoinPolicy }))}>
              <option value="open">Anyone with the id</option>
              <option value="approval">Admins approve requests</option>
              <option value="closed">Nobody (invitation only)</option>
            </select>
          </label>
          <label class="check">
            <input type="checkbox" name="muteAll" checked={mutedAll} onChange={(e) => void act(e.currentTarget.checked ? 'Everyone muted' : 'Mute-all lifted', () => s.api.groups.muteAll(id, (e.target as HTMLInputElement).checked))} />
            Mute everyone except admins
          </label>
          <label class="check">
            <input type="checkbox" name="readReceipts" checked={Boolean(group?.readReceipts)} onChange={(e) => void act('Read receipts changed', () => s.api.groups.updateSettings(id, { readReceipts: (e.target as HTMLInputElement).checked }))} />
            Show read receipts
          </label>
        </section>
      )}

      {mine && (
        <section aria-labelledby="gp-link">
          <h3 id="gp-link">Invite link</h3>
          <p class="hint">Anyone with this link can ask to join (group id {id}).</p>
          <CopyField label="Link to ask to join" value={inviteLink(id)} />
          {qr ? (
            <div class="qr-box">
              <QrCode text={inviteLink(id, qr.code)} label={`QR code that joins ${group?.name ?? 'the group'}`} />
              <CopyField label="Link that joins at once" value={inviteLink(id, qr.code)} />
              <p class="hint">Joins without approval until {timeOf(qr.expiresAt)}.</p>
            </div>
          ) : (
            <button type="button" onClick={() => void act('QR code made', async () => setQr(await s.api.groups.signQrCode(id)))}>Make a QR code</button>
          )}
        </section>
      )}

      {mine && (
        <section aria-labelledby="gp-invite">
          <h3 id="gp-invite">Invite</h3>
          <form class="inline" onSubmit={(e) => { e.preventDefault(); void act('Invitation sent', async () => {
            const r = await s.api.groups.invite(id, await idsOf(invitees));
            const failed = r.results.filter((x) => !x.ok);
            if (failed.length) throw new Error(failed.map((x) => `${s.users.get(x.userId)?.handle ?? x.userId}: ${x.reason ?? 'not invited'}`).join('; '));
            setInvitees('');
          }); }}>
            <label>Usernames<input name="invitees" required placeholder="usernames, separated by commas" value={invitees} onInput={(e) => setInvitees(e.currentTarget.value)} /></label>
            <button type="submit">Invite</button>
          </form>
        </section>
      )}

      {isAdmin && applications.length > 0 && (
        <section aria-labelledby="gp-apps">
          <h3 id="gp-apps">Requests to join</h3>
          <ul class="people">
            {applications.map((a) => {
              const u = s.users.get(a.applicantId);
              const who = u?.displayName ?? `User ${a.applicantId}`;
              return (
                <li key={a.id}>
                  <Avatar name={who} size={28} />
                  <span class="person">{who}{a.reason ? <span class="hint"> — “{a.reason}”</span> : null}</span>
                  <button type="button" onClick={() => void act(`${who} approved`, () => s.api.groups.handleApplication(id, a.id, true))}>Approve</button>
                  <button type="button" class="ghost" onClick={() => void act(`${who} refused`, () => s.api.groups.handleApplication(id, a.id, false))}>Reject</button>
                </li>
              );
            })}
          </ul>
        </section>
      )}

      <section aria-labelledby="gp-members">
        <h3 id="gp-members">Members ({members.length})</h3>
        <ul class="people">
          {sorted.map((m) => (
            <MemberRow key={m.userId} m={m} myRole={mine?.role} act={act} groupId={id} />
          ))}
        </ul>
      </section>

      {mine && mine.role !== 'owner' && (
        <button type="button" class="danger" onClick={() => void act('You left the group', async () => { await s.api.groups.leave(id); location.hash = '#/'; await s.refreshConversations(); })}>
          Leave group
        </button>
      )}
    </aside>
  );
}

function MemberRow(props: { m: Member; myRole: GroupRole | undefined; groupId: number; act: (label: string, run: () => Promise<unknown>) => Promise<void> }) {
  const s = useStore();
  const { m, groupId: id, act } = props;
  const u = s.users.get(m.userId);
  const who = u?.displayName || u?.handle || `User ${m.userId}`;
  const isMe = m.userId === s.me?.id;
  const outranks = props.myRole !== undefined && RANK[props.myRole] > RANK[m.role] && RANK[props.myRole] >= RANK.admin;
  const muted = m.mutedForever || (typeof m.mutedUntil === 'number' && m.mutedUntil > Date.now());
  return (
    <li>
      <Avatar name={who} size={28} />
      <span class="person">
        {who}{isMe ? ' (you)' : ''} <span class="hint">@{u?.handle ?? m.userId}</span>
        {m.role !== 'member' && <span class={`role ${m.role}`}>{m.role}</span>}
        {muted && <span class="role muted">muted</span>}
      </span>
      {!isMe && outranks && (
        <details class="member-actions">
          <summary aria-label={`Actions for ${who}`}>⋯</summary>
          <div class="menu">
            {muted ? (
              <button type="button" onClick={() => void act(`${who} unmuted`, () => s.api.groups.unmute(id, m.userId))}>Unmute</button>
            ) : (
              <button type="button" onClick={() => void act(`${who} muted for ${MUTE_MINUTES} minutes`, () => s.api.groups.mute(id, m.userId, MUTE_MINUTES))}>Mute {MUTE_MINUTES} min</button>
            )}
            {props.myRole === 'owner' && (
              <button type="button" onClick={() => void act(m.role === 'admin' ? `${who} is no longer an admin` : `${who} is now an admin`, () => s.api.groups.setAdmin(id, m.userId, m.role !== 'admin'))}>
                {m.role === 'admin' ? 'Remove admin' : 'Make admin'}
              </button>
            )}
            {props.myRole === 'owner' && (
              <button type="button" onClick={() => confirm(`Make ${who} the owner? You will become an ordinary member.`) && void act(`${who} now owns the group`, () => s.api.groups.transfer(id, m.userId))}>Transfer ownership</button>
            )}
            <button type="button" class="danger" onClick={() => confirm(`Remove ${who} from the group?`) && void act(`${who} removed`, () => s.api.groups.kick(id, m.userId))}>Remove from group</button>
          </div>
        </details>
      )}
    </li>
  );
}

/** A read-only value with a Copy button (the field stays selectable where the clipboard is refused). */
function CopyField(props: { label: string; value: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div class="copy-field">
      <input aria-label={props.label} readOnly value={props.value} onFocus={(e) => e.currentTarget.select()} />
      <button type="button" onClick={() => void navigator.clipboard?.writeText(props.value).then(() => setCopied(true), () => setCopied(false))}>{copied ? 'Copied' : 'Copy'}</button>
    </div>
  );
}
